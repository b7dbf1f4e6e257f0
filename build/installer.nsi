; 党建台账 — the Windows installer (NSIS 3, Unicode, Modern UI 2, Simplified Chinese pages).
;
; Installs the PyInstaller bundle for the current user (no administrator rights needed, which
; township PCs often lack) into %LOCALAPPDATA%\Programs\dangjian-desktop, with a Start-menu and a
; desktop shortcut and an entry in 应用和功能 / 程序和功能. The uninstaller removes the program
; only: the data (%LOCALAPPDATA%\dangjian-desktop: database, backups, logs) stays. Installing a
; newer version over an older one replaces the program files; the program itself upgrades the
; database (after a backup) when it next opens it.
;
; Build from the project root (paths below are relative to it, hence -NOCD):
;   makensis -NOCD -DVERSION=0.1.0 [-DDIST=pyinstaller-dist\dangjian-desktop]
;            [-DOUTFILE=pyinstaller-dist\dangjian-desktop-0.1.0-setup.exe] build\installer.nsi
; On Windows the workflow .github/workflows/windows.yml does this; on Linux build/check_nsis.sh
; compiles it against a stand-in folder to prove the script is valid.

Unicode true
ManifestDPIAware true

!include "MUI2.nsh"
!include "x64.nsh"
!include "WinVer.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !error "pass the version: makensis -DVERSION=x.y.z"
!endif
!ifndef DIST
  !define DIST "pyinstaller-dist\dangjian-desktop"
!endif
!ifndef OUTFILE
  !define OUTFILE "pyinstaller-dist\dangjian-desktop-${VERSION}-setup.exe"
!endif

!define APP "dangjian-desktop"
!define TITLE "党建台账"
!define EXE "${APP}.exe"
!define CLI_EXE "${APP}-cli.exe"
!define DATA_DIR "$LOCALAPPDATA\${APP}"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define SETTINGS_KEY "Software\${APP}"

Name "${TITLE} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
BrandingText "${TITLE} ${VERSION}"

!define MUI_ICON "dangjian_desktop\resources\icon.ico"
!define MUI_UNICON "dangjian_desktop\resources\icon.ico"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "将在本机安装 ${TITLE} ${VERSION}。$\r$\n$\r$\n已有的数据（${DATA_DIR}）不受影响；安装新版本后，程序会在第一次打开数据库时先备份、再升级。$\r$\n$\r$\n请先关闭正在运行的 ${TITLE}，然后点击“下一步”。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动 ${TITLE}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从本机卸载 ${TITLE} 程序。$\r$\n数据（${DATA_DIR}：数据库、备份和日志）会保留，不会被删除。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "${TITLE} 需要 64 位的 Windows 10 或 Windows 11。"
    Abort
  ${EndIf}
FunctionEnd

Function .onVerifyInstDir
  ; Never install into the data folder: the uninstaller would then sit beside the database.
  StrCmp $INSTDIR "${DATA_DIR}" 0 +2
    Abort
FunctionEnd

Section "${TITLE}" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An older version's libraries go first, so that none of them lingers beside the new ones.
  RMDir /r "$INSTDIR\_internal"
  File /r "${DIST}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${TITLE}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$DESKTOP\${TITLE}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${TITLE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${TITLE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  ; Only what the installer put there: never RMDir /r $INSTDIR (it could be a folder the user
  ; chose that holds other files), and never the data folder.
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  Delete "$SMPROGRAMS\${TITLE}.lnk"
  Delete "$DESKTOP\${TITLE}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
  DetailPrint "数据保留在 ${DATA_DIR}"
SectionEnd
