"""The files Maeul Evaluator opens from the file manager: a double click on a field kit imports it,
on a result package merges it (``evaluator-gui FILE``, see ui/main_window.py ``open_file``).

One list for every platform's registration: the PyInstaller spec writes it into the macOS
Info.plist; the Linux MIME file (linux/maeul-evaluator-mime.xml), the .desktop entry and the Windows
installer (windows/maeul-evaluator.iss) say the same, which tests/core/test_installer_files.py checks.
"""

FILE_TYPES = (
    {"suffix": ".mekit", "mime": "application/x-maeul-evaluator-kit", "uti": "kr.maeul.evaluator.kit",
     "progid": "MaeulEvaluator.Kit", "name_en": "Maeul Evaluator field kit", "name_ko": "마을 평가 도우미 현장 키트"},
    {"suffix": ".mepkg", "mime": "application/x-maeul-evaluator-package", "uti": "kr.maeul.evaluator.package",
     "progid": "MaeulEvaluator.Package", "name_en": "Maeul Evaluator result package",
     "name_ko": "마을 평가 도우미 결과 패키지"},
)


def info_plist_entries() -> dict:
    """``UTExportedTypeDeclarations`` and ``CFBundleDocumentTypes`` for the macOS app bundle."""
    return {
        "UTExportedTypeDeclarations": [
            {"UTTypeIdentifier": t["uti"], "UTTypeDescription": t["name_en"], "UTTypeConformsTo": ["public.data"],
             "UTTypeTagSpecification": {"public.filename-extension": [t["suffix"].lstrip(".")],
                                        "public.mime-type": [t["mime"]]}}
            for t in FILE_TYPES],
        "CFBundleDocumentTypes": [
            {"CFBundleTypeName": t["name_en"], "CFBundleTypeRole": "Editor", "LSHandlerRank": "Owner",
             "LSItemContentTypes": [t["uti"]]}
            for t in FILE_TYPES],
    }
