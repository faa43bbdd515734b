"""The installer's files agree: every platform registers the same file types (a field kit opens the
kit import, a result package the merge: installer/file_types.py), the build refuses a bundle
without SQLCipher, and the build's dependencies are locked with hashes, PyInstaller pinned exactly."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from evaluator.workflows import KIT_SUFFIX, PACKAGE_SUFFIX

INSTALLER = Path(__file__).resolve().parents[2] / "installer"


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def file_types():
    return _module("file_types", INSTALLER / "file_types.py").FILE_TYPES


def test_the_file_types_are_the_apps_own(file_types):
    assert {t["suffix"] for t in file_types} == {KIT_SUFFIX, PACKAGE_SUFFIX}


def test_linux_registers_them(file_types):
    desktop = (INSTALLER / "linux" / "maeul-evaluator.desktop").read_text(encoding="utf-8")
    exec_line = next(line for line in desktop.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(" %f")  # the file clicked is handed to evaluator-gui FILE
    mime_line = next(line for line in desktop.splitlines() if line.startswith("MimeType="))
    assert set(filter(None, mime_line.removeprefix("MimeType=").split(";"))) == {t["mime"] for t in file_types}
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(INSTALLER / "linux" / "maeul-evaluator-mime.xml").getroot()
    declared = {m.get("type"): m.find("m:glob", ns).get("pattern") for m in root.findall("m:mime-type", ns)}
    assert declared == {t["mime"]: f"*{t['suffix']}" for t in file_types}
    install = (INSTALLER / "linux" / "install.sh").read_text(encoding="utf-8")
    assert "maeul-evaluator-mime.xml" in install and "update-mime-database" in install
    assert '%f|"' in install  # the installed entry keeps the file argument
    assert "maeul-evaluator-mime.xml" in (INSTALLER / "build.py").read_text(encoding="utf-8")
    assert "mime/packages/maeul-evaluator.xml" in (INSTALLER / "linux" / "uninstall.sh").read_text(encoding="utf-8")


def test_windows_registers_them(file_types):
    iss = (INSTALLER / "windows" / "maeul-evaluator.iss").read_text(encoding="utf-8-sig")
    assert "ChangesAssociations=yes" in iss
    for t in file_types:
        assert f'Subkey: "Software\\Classes\\{t["suffix"]}"; ValueType: string; ValueName: ""; ValueData: ' \
               f'"{t["progid"]}"' in iss
        command = re.search(rf'Subkey: "Software\\Classes\\{re.escape(t["progid"])}\\shell\\open\\command".*', iss)
        assert command and '"""{app}\\{#AppExe}"" ""%1"""' in command.group(0)


def test_macos_declares_them(file_types):
    entries = _module("file_types", INSTALLER / "file_types.py").info_plist_entries()
    exported = {d["UTTypeIdentifier"]: d["UTTypeTagSpecification"]["public.filename-extension"]
                for d in entries["UTExportedTypeDeclarations"]}
    assert exported == {t["uti"]: [t["suffix"].lstrip(".")] for t in file_types}
    assert {d["LSItemContentTypes"][0] for d in entries["CFBundleDocumentTypes"]} == set(exported)
    spec = (INSTALLER / "maeul_evaluator.spec").read_text(encoding="utf-8")
    assert "**info_plist_entries()" in spec


def test_the_build_refuses_a_bundle_without_sqlcipher(monkeypatch):
    import builtins

    build = _module("installer_build", INSTALLER / "build.py")
    real_import = builtins.__import__

    def no_sqlcipher(name, *args, **kwargs):
        if name.startswith("sqlcipher3"):
            raise ImportError("No module named 'sqlcipher3'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sqlcipher)
    with pytest.raises(SystemExit) as ei:
        build.check_encryption()
    assert "Refusing to build" in str(ei.value) and "encryption" in str(ei.value)


def test_the_build_dependencies_are_locked_with_hashes():
    build = _module("installer_build", INSTALLER / "build.py")
    locked = build.locked_versions()
    assert locked["pyinstaller"][0] == "6.22.3"
    assert re.fullmatch(r"pyinstaller==6\.22\.3", next(
        line.strip() for line in (INSTALLER / "requirements.txt").read_text().splitlines()
        if line.startswith("pyinstaller=")))
    for name in ("sqlcipher3", "pyside6-essentials", "sqlalchemy", "cryptography", "psycopg-binary"):
        assert name in locked, name
    assert locked["sqlcipher3"][1] == ""  # on every platform, Windows and macOS included
    text = (INSTALLER / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[a-z])", text.split("\n\n", 1)[-1].strip())
    for block in blocks:
        if block.startswith("#"):
            continue
        assert "==" in block.splitlines()[0] and "--hash=sha256:" in block, block.splitlines()[0]
    docs = (Path(__file__).resolve().parents[2] / "docs" / "install.md").read_text(encoding="utf-8")
    assert '".[gui]"' not in docs and "--require-hashes -r installer" in docs
