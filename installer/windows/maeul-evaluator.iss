; Inno Setup 6 script for Maeul Evaluator (Windows 10/11, x64).
;
; Packs the PyInstaller one-folder bundle (dist\maeul-evaluator, built on Windows from the same
; installer\maeul_evaluator.spec as Linux and macOS) into one setup program.  Build it with
;     python installer\build.py
; which builds the bundle and calls ISCC with the defines below; by hand:
;     ISCC /DAppVersion=0.1.0 /DSourceDir=dist\maeul-evaluator /DIconFile=build\installer\maeul-evaluator.ico /DOutputDir=dist installer\windows\maeul-evaluator.iss
; AppVersion comes from evaluator\version.py through build.py: there is no second copy here.
;
; Installs per user by default (no administrator rights needed: %LOCALAPPDATA%\Programs), or for all
; users when the person installing chooses so.  Uninstalling never removes the user's data
; (%LOCALAPPDATA%\MaeulEvaluator: databases, keys, result packages, logs).

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z (installer\build.py does)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\maeul-evaluator"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\installer\maeul-evaluator.ico"
#endif

#define AppName "Maeul Evaluator"
#define AppNameKo "마을 평가 도우미"
#define AppExe "evaluator-gui.exe"
#define CliExe "evaluator.exe"

[Setup]
; AppId identifies the product across versions (upgrades install over it): never change it.
AppId={{6F1C2B7E-4D3A-4E8B-9C55-2A9E1D7B0C41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Maeul Evaluator team
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; per-user install unless the user picks "install for all users" in the dialog
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=maeul-evaluator-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
VersionInfoVersion={#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; the app must not be running while its files are replaced
CloseApplications=yes
RestartApplications=no
ChangesEnvironment=yes
; field kits (.mekit) and result packages (.mepkg) open with the app (installer\file_types.py)
ChangesAssociations=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#if FileExists(AddBackslash(CompilerPath) + "Languages\Korean.isl")
Name: "korean"; MessagesFile: "compiler:Languages\Korean.isl"
#endif

[CustomMessages]
english.AddToPath=Add the "evaluator" command to PATH (for scripts)
english.LaunchApp=Start {#AppName}
english.KitFile=Maeul Evaluator field kit
english.PackageFile=Maeul Evaluator result package
#if FileExists(AddBackslash(CompilerPath) + "Languages\Korean.isl")
korean.AddToPath="evaluator" 명령을 PATH에 추가 (스크립트용)
korean.LaunchApp={#AppNameKo} 실행
korean.KitFile=마을 평가 도우미 현장 키트
korean.PackageFile=마을 평가 도우미 결과 패키지
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "addtopath"; Description: "{cm:AddToPath}"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the whole program folder: no stale modules from the previous version
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; per-user install: the user's PATH; all-users install: the machine's PATH (HKA picks the right one)
Root: HKA; Subkey: "{code:EnvKey}"; ValueType: expandsz; ValueName: "Path"; \
    ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

; file types: HKA is the user's classes for a per-user install, the machine's for all users
Root: HKA; Subkey: "Software\Classes\.mekit"; ValueType: string; ValueName: ""; ValueData: "MaeulEvaluator.Kit"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\MaeulEvaluator.Kit"; ValueType: string; ValueName: ""; ValueData: "{cm:KitFile}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\MaeulEvaluator.Kit\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\MaeulEvaluator.Kit\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.mepkg"; ValueType: string; ValueName: ""; ValueData: "MaeulEvaluator.Package"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\MaeulEvaluator.Package"; ValueType: string; ValueName: ""; ValueData: "{cm:PackageFile}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\MaeulEvaluator.Package\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\MaeulEvaluator.Package\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[Code]
function EnvKey(Param: String): String;
begin
  if IsAdminInstallMode then
    Result := 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
  else
    Result := 'Environment';
end;

function NeedsAddPath(Dir: String): Boolean;
var
  Paths: String;
  RootKey: Integer;
begin
  if IsAdminInstallMode then RootKey := HKEY_LOCAL_MACHINE else RootKey := HKEY_CURRENT_USER;
  if not RegQueryStringValue(RootKey, EnvKey(''), 'Path', Paths) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Paths, Dir: String;
  P: Integer;
  RootKey: Integer;
begin
  { take {app} back out of PATH; the user's data folder is left alone on purpose }
  if CurUninstallStep <> usPostUninstall then exit;
  if IsAdminInstallMode then RootKey := HKEY_LOCAL_MACHINE else RootKey := HKEY_CURRENT_USER;
  if not RegQueryStringValue(RootKey, EnvKey(''), 'Path', Paths) then exit;
  Dir := ExpandConstant('{app}');
  P := Pos(';' + Uppercase(Dir), Uppercase(Paths));
  if P > 0 then
  begin
    Delete(Paths, P, Length(Dir) + 1);
    RegWriteExpandStringValue(RootKey, EnvKey(''), 'Path', Paths);
  end;
end;
