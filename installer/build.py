"""Build the installer for the platform this runs on (``make installer`` on Linux).

    python installer/build.py [--clean] [--skip-bundle] [--no-package]

1. compiles the translations (``.ts`` → ``.qm``, Qt's lrelease from PySide6; the core's messages ``.po`` →
   ``.mo``, Babel);
2. runs PyInstaller on ``installer/maeul_evaluator.spec`` → ``dist/maeul-evaluator/`` (one folder;
   on macOS also ``dist/Maeul Evaluator.app``);
3. packages it:
   * Linux   → ``dist/maeul-evaluator-VERSION-linux-ARCH.tar.gz`` (bundle + .desktop file + icons +
     install.sh/uninstall.sh + system-deps.sh);
   * Windows → ``dist/maeul-evaluator-VERSION-windows-x64-setup.exe`` with Inno Setup's ISCC when it is
     installed (``installer/windows/maeul-evaluator.iss``), otherwise says how;
   * macOS   → ``dist/maeul-evaluator-VERSION-macos-ARCH.dmg`` with hdiutil.

The version comes from ``evaluator/version.py`` only.  Run it with the project's virtual
environment's Python, with the locked build dependencies installed
(``pip install --require-hashes -r installer/requirements.lock`` then ``pip install --no-deps -e .``).
It refuses to build without SQLCipher (``sqlcipher3``: a bundle without it could not open an
encrypted field database, so ``kit import`` would fail on every laptop), and warns when an
installed package differs from the lock (the installer would then not be the reproducible one).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
FOLDER = "maeul-evaluator"
APP_NAME = "Maeul Evaluator"


def version() -> str:
    ns: dict = {}
    exec((ROOT / "evaluator" / "version.py").read_text(encoding="utf-8"), ns)
    return ns["__version__"]


def arch() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "arm64", "aarch64": "aarch64"}.get(m, m)


def du(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() or f.is_symlink())


def mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


LOCK = HERE / "requirements.lock"


def check_encryption() -> str:
    """The SQLCipher version the bundle will carry; refuses (SystemExit) when it is missing."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise SystemExit(
            f"Refusing to build: sqlcipher3 is not installed ({exc}). A bundle without SQLCipher cannot open "
            "an encrypted field database, so 'kit import' would fail on every laptop. Install the locked "
            "dependencies: python -m pip install --require-hashes -r installer/requirements.lock "
            "(or: pip install -e \".[gui,encryption,build]\")."
        ) from None
    conn = dbapi2.connect(":memory:")
    try:
        row = conn.execute("PRAGMA cipher_version").fetchone()
    finally:
        conn.close()
    if not row or not row[0]:
        raise SystemExit("Refusing to build: sqlcipher3 is installed but its SQLite has no SQLCipher "
                         "(PRAGMA cipher_version is empty); install the sqlcipher3 wheel from the lock.")
    return str(row[0])


def locked_versions(lock: Path = LOCK) -> dict[str, tuple[str, str]]:
    """{package name: (version, environment marker)} of the lock file."""
    out: dict[str, tuple[str, str]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in " #-":
            continue
        spec = line.rstrip(" \\")
        req, _, marker = spec.partition(";")
        name, _, ver = req.strip().partition("==")
        out[_norm(name)] = (ver.strip(), marker.strip())
    return out


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def lock_differences(lock: Path = LOCK) -> list[str]:
    """Installed packages whose version is not the locked one (those that apply on this platform)."""
    from importlib.metadata import PackageNotFoundError, version as installed

    from packaging.markers import Marker

    out = []
    for name, (ver, marker) in sorted(locked_versions(lock).items()):
        if marker and not Marker(marker).evaluate():
            continue
        try:
            have = installed(name)
        except PackageNotFoundError:
            out.append(f"{name} {ver} is not installed")
            continue
        if have != ver:
            out.append(f"{name} {have} is installed, the lock has {ver}")
    return out


def build_translations() -> None:
    sys.path.insert(0, str(ROOT))
    from ui.i18n_build import build

    for qm in build():
        print(f"built {qm.relative_to(ROOT)}")
    from evaluator.messages.build import compile_catalogue

    print(f"built {compile_catalogue('ko').relative_to(ROOT)}")


def run_pyinstaller(clean: bool) -> Path:
    # PyInstaller keeps its analysis in build/pyinstaller and redoes what changed; --clean starts over
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", *(["--clean"] if clean else []),
           "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(WORK), str(HERE / "maeul_evaluator.spec")]
    print("$", " ".join(cmd), flush=True)
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)
    bundle = DIST / FOLDER
    exe = ".exe" if sys.platform == "win32" else ""
    for name in ("evaluator-gui", "evaluator"):
        if not (bundle / f"{name}{exe}").exists():
            raise SystemExit(f"PyInstaller did not produce {bundle / (name + exe)}")
    return bundle


# --- Linux -----------------------------------------------------------------------------------------
def strip_debug_info(bundle: Path) -> int:
    """Drop debug sections from shared libraries that carry them (a self-built libpython has ~18 MB).

    Only ``--strip-debug`` (symbols and dynamic sections stay), never the two executables (their
    PyInstaller archive is appended to the ELF file), never auditwheel's patched ``*.libs`` folders.
    """
    strip = shutil.which("strip")
    if not strip:
        return 0
    saved = 0
    for f in (bundle / "_internal").rglob("*"):
        if f.is_symlink() or not f.is_file() or any(part.endswith(".libs") for part in f.parts):
            continue
        with open(f, "rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
        if b".debug_info" not in f.read_bytes():
            continue
        before = f.stat().st_size
        subprocess.run([strip, "--strip-debug", str(f)], check=True)
        saved += before - f.stat().st_size
    return saved


def package_linux(bundle: Path, ver: str) -> Path:
    top = f"{FOLDER}-{ver}"
    out = DIST / f"{top}-linux-{arch()}.tar.gz"
    extras = {
        "maeul-evaluator.desktop": HERE / "linux" / "maeul-evaluator.desktop",
        "maeul-evaluator-mime.xml": HERE / "linux" / "maeul-evaluator-mime.xml",
        "install.sh": HERE / "linux" / "install.sh",
        "uninstall.sh": HERE / "linux" / "uninstall.sh",
        "system-deps.sh": HERE / "linux-runtime-deps.sh",
        "maeul-evaluator.png": ROOT / "resources" / "icons" / "app-256.png",
        "maeul-evaluator.svg": ROOT / "resources" / "icons" / "app.svg",
        "README.txt": HERE / "linux" / "README.txt",
    }
    executable = {"install.sh", "uninstall.sh", "system-deps.sh"}

    def norm(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    tmp = out.with_suffix(".partial")
    with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=top, filter=norm)
        for name, src in extras.items():
            info = norm(tar.gettarinfo(str(src), arcname=f"{top}/{name}"))
            info.mode = 0o755 if name in executable else 0o644
            with open(src, "rb") as fh:
                tar.addfile(info, fh)
    tmp.replace(out)
    return out


# --- Windows ---------------------------------------------------------------------------------------
def windows_icon() -> Path:
    from PIL import Image

    ico = ROOT / "build" / "installer" / "maeul-evaluator.ico"
    ico.parent.mkdir(parents=True, exist_ok=True)
    Image.open(ROOT / "resources" / "icons" / "app-256.png").save(
        ico, sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    return ico


def find_iscc() -> str | None:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"),
                 os.path.expandvars(r"%LOCALAPPDATA%\Programs")):
        if base:
            cand = Path(base) / "Inno Setup 6" / "ISCC.exe"
            if cand.exists():
                return str(cand)
    return None


def package_windows(bundle: Path, ver: str) -> Path | None:
    ico = windows_icon()
    iss = HERE / "windows" / "maeul-evaluator.iss"
    defines = [f"/DAppVersion={ver}", f"/DSourceDir={bundle}", f"/DIconFile={ico}", f"/DOutputDir={DIST}"]
    iscc = find_iscc()
    if not iscc:
        print("Inno Setup 6 (ISCC.exe) was not found: install it from jrsoftware.org, then run\n"
              f'  ISCC {" ".join(defines)} "{iss}"')
        return None
    subprocess.run([iscc, "/Q", *defines, str(iss)], check=True)
    return DIST / f"{FOLDER}-{ver}-windows-x64-setup.exe"


# --- macOS -----------------------------------------------------------------------------------------
def package_macos(ver: str) -> Path | None:
    app = DIST / f"{APP_NAME}.app"
    if not app.exists():
        raise SystemExit(f"{app} was not built (the spec's BUNDLE step runs on macOS only)")
    if not shutil.which("hdiutil"):
        print(f"hdiutil not found; hand out {app} zipped instead (ditto -c -k --keepParent).")
        return None
    out = DIST / f"{FOLDER}-{ver}-macos-{arch()}.dmg"
    stage = ROOT / "build" / "dmg"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    subprocess.run(["ditto", str(app), str(stage / app.name)], check=True)
    (stage / "Applications").symlink_to("/Applications")
    out.unlink(missing_ok=True)
    subprocess.run(["hdiutil", "create", "-volname", f"{APP_NAME} {ver}", "-srcfolder", str(stage),
                    "-ov", "-format", "UDZO", str(out)], check=True)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--skip-bundle", action="store_true", help="package the existing dist/ bundle, do not rebuild it")
    p.add_argument("--no-package", action="store_true", help="build the one-folder bundle only")
    p.add_argument("--clean", action="store_true", help="discard PyInstaller's cache (build/pyinstaller) first")
    args = p.parse_args(argv)
    ver = version()
    print(f"SQLCipher {check_encryption()} will be bundled")
    differences = lock_differences()
    if differences:
        print("warning: the build environment differs from installer/requirements.lock, so this installer is "
              "not the reproducible one:\n  " + "\n  ".join(differences))
    t0 = time.perf_counter()
    if args.skip_bundle:
        bundle = DIST / FOLDER
        if not bundle.exists():
            raise SystemExit(f"{bundle} does not exist; build it first (without --skip-bundle)")
    else:
        build_translations()
        bundle = run_pyinstaller(args.clean)
        if sys.platform.startswith("linux"):
            print(f"stripped {mb(strip_debug_info(bundle))} of debug information")
    t_bundle = time.perf_counter() - t0
    print(f"bundle: {bundle} ({mb(du(bundle))}, built in {t_bundle:.0f} s)")
    if args.no_package:
        return 0
    t1 = time.perf_counter()
    if sys.platform.startswith("linux"):
        out = package_linux(bundle, ver)
    elif sys.platform == "win32":
        out = package_windows(bundle, ver)
    elif sys.platform == "darwin":
        out = package_macos(ver)
    else:
        raise SystemExit(f"no installer format for {sys.platform}")
    if out:
        print(f"installer: {out} ({mb(du(out))}, packaged in {time.perf_counter() - t1:.0f} s)")
    print(f"total build time: {time.perf_counter() - t0:.0f} s (version {ver})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
