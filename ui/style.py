"""The app's style sheet: calm colours, big targets for level buttons, visible keyboard focus."""

STYLE = """
QLabel#screenTitle { font-size: 15pt; font-weight: bold; padding: 4px 0 6px 0; }
QLabel#muted { color: #5f6670; }
QLabel#summaryLine { font-size: 11pt; padding: 2px 0 8px 0; }
QFrame#headerBar { background: #23395d; }
QFrame#headerBar QLabel { color: white; }
QLabel#modeBadge { background: #f0b429; color: #1d1d1d; border-radius: 8px; padding: 2px 10px; font-weight: bold; }
QListWidget#navigation { background: #f3f5f8; border: none; border-right: 1px solid #d8dde5; font-size: 11pt; }
QListWidget#navigation::item { padding: 9px 14px; }
QListWidget#navigation::item:selected { background: #dbe6f7; color: #10233f; border-left: 4px solid #3d7bd9; }
QFrame#formHeader { background: #f3f5f8; border-bottom: 1px solid #d8dde5; }
QLabel#formTitle { font-size: 12pt; }
QLabel#totalLabel { font-size: 13pt; font-weight: bold; padding: 0 12px; }
QLabel#savedLabel { color: #2f7d46; }
QLabel#stateBadge { border-radius: 8px; padding: 2px 10px; background: #e6e9ef; }
QLabel#stateBadge[state="finalised"] { background: #d7f0dd; color: #1b5e31; font-weight: bold; }
QLabel#banner { background: #fff4d6; border: 1px solid #f0b429; border-radius: 4px; padding: 8px; }
QLabel#whatIfBanner { background: #fff4d6; border: 1px solid #f0b429; border-radius: 4px; padding: 6px; }
QFrame[criterionRow="true"] { border: 1px solid #d8dde5; border-radius: 6px; background: white; }
QFrame[criterionRow="true"][missing="true"] { border: 2px solid #d9534f; background: #fff5f5; }
QFrame#levelPicker { border: 2px solid transparent; border-radius: 6px; }
QFrame#levelPicker:focus { border: 2px solid #3d7bd9; background: #f4f8ff; }
QFrame#levelPicker QToolButton { font-size: 11pt; border: 1px solid #b9c2cf; border-radius: 5px; background: #fafbfc; }
QFrame#levelPicker QToolButton:checked { background: #3d7bd9; color: white; border-color: #2b5fae; font-weight: bold; }
QLabel#levelDescription { color: #4a515b; font-size: 8.5pt; }
QLabel#levelDescription[selected="true"] { color: #10233f; font-weight: bold; }
QLabel#dropZone { border: 2px dashed #8a96a8; border-radius: 8px; padding: 18px; color: #4a515b; background: #f7f9fc; }
QLabel#dropZone[hover="true"] { border-color: #3d7bd9; background: #eaf1fd; }
"""
