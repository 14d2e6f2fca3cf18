; Inno Setup 6 script: the Windows installer of Calendly Console, from the PyInstaller bundle.
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\calendly-console.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\calendly-console.iss
; writes dist\calendly-console-<version>-windows-x64-setup.exe. The release workflow
; (.github/workflows/release.yml) runs both, then installs it silently for the current user and
; runs the installed app's --self-test. Not built on the development machine (no Windows there).
;
; It installs for all users (Program Files, needs administrator rights) or, when chosen in the
; first page or given /CURRENTUSER, for the current user only (%LOCALAPPDATA%\Programs).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Calendly Console"
#define AppExe "calendly-console.exe"
; Paths are relative to this script's folder.
#define Root "..\.."

[Setup]
; The id Windows knows the installation by: never change it (upgrades find the old one by it).
AppId={{CC88B806-5EA7-47F5-B45E-FCAFC215ADAD}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Calendly Console developers
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion}
VersionInfoDescription={#AppName} Setup
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile={#Root}\build\icons\calendly-console.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#Root}\dist
OutputBaseFilename=calendly-console-{#AppVersion}-windows-x64-setup
WizardStyle=modern
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\calendly-console\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
