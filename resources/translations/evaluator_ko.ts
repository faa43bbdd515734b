<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name></name>
    <message>
        <source>Score distribution</source>
        <translation>점수 분포</translation>
    </message>
    <message>
        <source>minimum</source>
        <translation>최저 점수</translation>
    </message>
    <message>
        <source>cut line</source>
        <translation>선정선</translation>
    </message>
    <message numerus="yes">
        <source>%n applications scored</source>
        <translation>
            <numerusform>점수가 있는 신청서 %n건</numerusform>
        </translation>
    </message>
    <message>
        <source>minimum score {score:g}</source>
        <translation>최저 점수 {score:g}</translation>
    </message>
    <message>
        <source>{cut_line} at {score:.1f}</source>
        <translation>{cut_line} {score:.1f}점</translation>
    </message>
    <message>
        <source>Per band: {bands}.</source>
        <translation>구간별: {bands}.</translation>
    </message>
    <message>
        <source>Evaluator leniency (points vs. co-evaluators)</source>
        <translation>평가위원 관대도 (다른 위원 대비 점수 차)</translation>
    </message>
    <message>
        <source>Points above (+) or below (−) co-evaluators on shared applications: {items}.</source>
        <translation>같은 신청서를 평가한 다른 위원보다 높은(+) 또는 낮은(−) 점수: {items}.</translation>
    </message>
    <message>
        <source>Not enough shared applications yet</source>
        <translation>함께 평가한 신청서가 아직 부족합니다</translation>
    </message>
    <message>
        <source>A reason is required; nothing was changed.</source>
        <translation>사유를 입력해야 합니다. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>Encrypt the field database with a passphrase (recommended: a lost laptop then shows nothing)</source>
        <translation>현장 데이터베이스를 암호로 암호화 (권장: 노트북을 잃어버려도 아무것도 보이지 않습니다)</translation>
    </message>
    <message>
        <source>Database passphrase</source>
        <translation>데이터베이스 암호</translation>
    </message>
    <message>
        <source>Protect the field database</source>
        <translation>현장 데이터베이스 보호</translation>
    </message>
    <message>
        <source>{name} will hold applicants&apos; data on this laptop. With a passphrase, the file is encrypted and useless to whoever finds a lost laptop or USB stick; the app asks for the passphrase when it opens the database. At least {n} characters.</source>
        <translation>{name}에는 이 노트북에 신청 단체의 정보가 저장됩니다. 암호를 정하면 파일이 암호화되어, 잃어버린 노트북이나 USB를 주운 사람은 아무것도 볼 수 없습니다. 앱은 데이터베이스를 열 때 암호를 묻습니다. {n}자 이상.</translation>
    </message>
    <message>
        <source>Connect to server</source>
        <translation>서버에 연결</translation>
    </message>
    <message>
        <source>The office database on a PostgreSQL server. The password is not saved: Open recent remembers the connection and asks for the password again.</source>
        <translation>PostgreSQL 서버에 있는 사무국 데이터베이스입니다. 비밀번호는 저장하지 않습니다. [최근 항목 열기]는 연결 정보만 기억하고 비밀번호를 다시 묻습니다.</translation>
    </message>
    <message>
        <source>e.g. db.office.local</source>
        <translation>예: db.office.local</translation>
    </message>
    <message>
        <source>leave empty if the server needs none</source>
        <translation>서버가 요구하지 않으면 비워 두세요</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>포트</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>데이터베이스</translation>
    </message>
    <message>
        <source>User</source>
        <translation>사용자</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>비밀번호</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>연결</translation>
    </message>
    <message>
        <source>Correct what the message above names, then try again; nothing was changed.</source>
        <translation>위 문장이 가리키는 파일이나 값을 고친 뒤 다시 시도하세요. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>Close the other program that uses this database (or wait for it to finish), then try again.</source>
        <translation>이 데이터베이스를 쓰고 있는 다른 프로그램을 닫거나 작업이 끝날 때까지 기다린 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Install the newer version of Maeul Evaluator that wrote this database.</source>
        <translation>이 데이터베이스를 만든 새 버전의 마을 평가 도우미를 설치하세요.</translation>
    </message>
    <message>
        <source>Choose a Maeul Evaluator database file (.sqlite3).</source>
        <translation>마을 평가 도우미 데이터베이스 파일(.sqlite3)을 선택하세요.</translation>
    </message>
    <message>
        <source>Free some disk space or move the database to a folder you can write to.</source>
        <translation>디스크 공간을 확보하거나 쓰기 권한이 있는 폴더로 데이터베이스를 옮기세요.</translation>
    </message>
    <message>
        <source>Check that the file or the server exists and can be reached, then open it again from the File menu.</source>
        <translation>파일이나 서버가 있고 연결되는지 확인한 뒤 [파일] 메뉴에서 다시 여세요.</translation>
    </message>
    <message>
        <source>The original database is untouched and a backup sits beside it. Send the log file to your coordinator.</source>
        <translation>원래 데이터베이스는 그대로이며 옆에 백업이 있습니다. 로그 파일을 담당자에게 보내 주세요.</translation>
    </message>
    <message>
        <source>Check the database and open it again from the File menu.</source>
        <translation>데이터베이스를 확인한 뒤 [파일] 메뉴에서 다시 여세요.</translation>
    </message>
    <message>
        <source>Choose another evaluator for this application.</source>
        <translation>이 신청서에는 다른 평가위원을 배정하세요.</translation>
    </message>
    <message>
        <source>Reopen the evaluation (with a reason) before changing it.</source>
        <translation>바꾸기 전에 사유를 적고 평가를 다시 여세요.</translation>
    </message>
    <message>
        <source>The screen now shows the latest values; check them and repeat your change.</source>
        <translation>화면에 최신 값을 다시 불러왔습니다. 확인한 뒤 변경을 다시 하세요.</translation>
    </message>
    <message>
        <source>Open the right database: office work needs the office database, field work a field database.</source>
        <translation>알맞은 데이터베이스를 여세요. 사무국 업무는 사무국 데이터베이스, 현장 평가는 현장 데이터베이스가 필요합니다.</translation>
    </message>
    <message>
        <source>Correct the items listed and try again; nothing was changed.</source>
        <translation>아래 항목을 고친 뒤 다시 시도하세요. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>Refresh the screen; the item may have been changed or removed.</source>
        <translation>화면을 새로 고치세요. 항목이 바뀌었거나 삭제되었을 수 있습니다.</translation>
    </message>
    <message>
        <source>Nothing was written. Start it again when you are ready.</source>
        <translation>아무것도 저장되지 않았습니다. 준비되면 다시 시작하세요.</translation>
    </message>
    <message>
        <source>Check the input and try again.</source>
        <translation>입력한 내용을 확인하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Check that the file or folder exists and that you may read and write it.</source>
        <translation>파일이나 폴더가 있는지, 읽고 쓸 권한이 있는지 확인하세요.</translation>
    </message>
    <message>
        <source>This is a bug in Maeul Evaluator. Work saved so far is safe. Please send the log file to your coordinator: {path}</source>
        <translation>마을 평가 도우미의 오류입니다. 지금까지 저장된 내용은 안전합니다. 로그 파일을 담당자에게 보내 주세요: {path}</translation>
    </message>
    <message>
        <source>This database uses office key {fingerprint}, but the key folder {folder} holds no key file for it; choose the key folder of this office, or share a key on purpose with &apos;evaluator keys use FILE&apos;.</source>
        <translation>이 데이터베이스는 사무국 키 {fingerprint}를 쓰지만 키 폴더 {folder}에는 그 키 파일이 없으니, 이 사무국의 키 폴더를 고르거나 키를 일부러 함께 쓰려면 &apos;evaluator keys use FILE&apos;을 실행하십시오.</translation>
    </message>
    <message>
        <source>The file could not be used: {error}</source>
        <translation>파일을 사용할 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Something went wrong that the program did not expect.</source>
        <translation>프로그램이 예상하지 못한 문제가 생겼습니다.</translation>
    </message>
    <message>
        <source>Maeul Evaluator</source>
        <translation>마을 평가 도우미</translation>
    </message>
    <message>
        <source>What to do: {advice}</source>
        <translation>조치 방법: {advice}</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>암호 문구</translation>
    </message>
    <message>
        <source>Once more</source>
        <translation>한 번 더</translation>
    </message>
    <message>
        <source>At least {n} characters.</source>
        <translation>{n}자 이상 입력하세요.</translation>
    </message>
    <message>
        <source>Type the same passphrase twice.</source>
        <translation>같은 암호 문구를 두 번 입력하세요.</translation>
    </message>
    <message>
        <source>Office key</source>
        <translation>사무국 키</translation>
    </message>
    <message>
        <source>Passphrase of the office key:</source>
        <translation>사무국 키의 암호 문구:</translation>
    </message>
    <message>
        <source>The office needs a key to sign kits and open result packages. Choose its passphrase and keep it safe: without it, result packages cannot be opened.</source>
        <translation>사무국은 현장 키트에 서명하고 결과 패키지를 열기 위한 키가 필요합니다. 암호 문구를 정해 안전하게 보관하세요. 암호 문구가 없으면 결과 패키지를 열 수 없습니다.</translation>
    </message>
    <message>
        <source>Your key</source>
        <translation>내 키</translation>
    </message>
    <message>
        <source>Passphrase of your key (it signs your result package):</source>
        <translation>내 키의 암호 문구 (결과 패키지에 서명합니다):</translation>
    </message>
    <message>
        <source>Your result package is signed with your own key, made now. Choose its passphrase; you need it each time you hand back.</source>
        <translation>결과 패키지는 지금 만드는 본인의 키로 서명됩니다. 암호 문구를 정하세요. 결과를 제출할 때마다 필요합니다.</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>접수</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>자격 충족</translation>
    </message>
    <message>
        <source>Ineligible</source>
        <translation>자격 미달</translation>
    </message>
    <message>
        <source>Selected</source>
        <translation>선정</translation>
    </message>
    <message>
        <source>Reserve</source>
        <translation>예비</translation>
    </message>
    <message>
        <source>Not selected</source>
        <translation>미선정</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>철회</translation>
    </message>
    <message>
        <source>Abstained</source>
        <translation>기권</translation>
    </message>
    <message>
        <source>Not visited</source>
        <translation>방문 전</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>평가 중</translation>
    </message>
    <message>
        <source>Finalised</source>
        <translation>확정</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>작성 중</translation>
    </message>
    <message>
        <source>Recused</source>
        <translation>회피</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>미완료</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>시작 전</translation>
    </message>
    <message>
        <source>Personal</source>
        <translation>개인적 관계</translation>
    </message>
    <message>
        <source>Professional</source>
        <translation>업무상 관계</translation>
    </message>
    <message>
        <source>Financial</source>
        <translation>재정적 이해관계</translation>
    </message>
    <message>
        <source>Institutional</source>
        <translation>소속 기관 관계</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>기타</translation>
    </message>
    <message>
        <source>Disagreement</source>
        <translation>평가 편차 큼</translation>
    </message>
    <message>
        <source>Incomplete evaluation</source>
        <translation>미완료 평가</translation>
    </message>
    <message>
        <source>No evaluations</source>
        <translation>평가 없음</translation>
    </message>
    <message>
        <source>Near the cut line</source>
        <translation>선정선 근처</translation>
    </message>
    <message>
        <source>Raw score used</source>
        <translation>원점수 사용</translation>
    </message>
    <message>
        <source>Provisional</source>
        <translation>잠정</translation>
    </message>
    <message>
        <source>Overridden</source>
        <translation>위원회 변경</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>동점</translation>
    </message>
    <message>
        <source>Recusal</source>
        <translation>회피</translation>
    </message>
    <message>
        <source>Abstention</source>
        <translation>기권</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>평균</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>중앙값</translation>
    </message>
    <message>
        <source>Trimmed mean (drop highest and lowest)</source>
        <translation>최고·최저 제외 평균</translation>
    </message>
    <message>
        <source>Normalised (per-evaluator z-score)</source>
        <translation>표준화 (평가위원별 z점수)</translation>
    </message>
    <message>
        <source>This database has no program yet</source>
        <extracomment>how many times a wrong passphrase is asked again before the app gives up on that database the files ``evaluator-gui FILE`` (and the file manager, through the registered types) hands over</extracomment>
        <translation>이 데이터베이스에는 아직 공모가 없습니다</translation>
    </message>
    <message>
        <source>Create your office&apos;s program from its program file (or with the guided form), start with the demo program (48 fictional applications, 5 evaluators) to find your way around, or import a field kit you received from the office.</source>
        <translation>사무국의 공모를 공모 파일로(또는 안내 양식으로) 만들거나, 데모 공모(가상의 신청서 48건, 평가위원 5명)로 먼저 둘러보거나, 사무국에서 받은 현장 키트를 가져오세요.</translation>
    </message>
    <message>
        <source>Create the demo program here</source>
        <translation>여기에 데모 공모 만들기</translation>
    </message>
    <message>
        <source>New program…</source>
        <translation>새 공모…</translation>
    </message>
    <message>
        <source>Import a field kit…</source>
        <translation>현장 키트 가져오기…</translation>
    </message>
    <message>
        <source>No database is open</source>
        <translation>열려 있는 데이터베이스가 없습니다</translation>
    </message>
    <message>
        <source>Open your database, create a new one, connect to the office server or import a field kit you received from the office.</source>
        <translation>데이터베이스를 열거나 새로 만들고, 사무국 서버에 연결하거나, 사무국에서 받은 현장 키트를 가져오세요.</translation>
    </message>
    <message>
        <source>Open database…</source>
        <translation>데이터베이스 열기…</translation>
    </message>
    <message>
        <source>New database…</source>
        <translation>새 데이터베이스…</translation>
    </message>
    <message>
        <source>Connect to server…</source>
        <translation>서버에 연결…</translation>
    </message>
    <message>
        <source>Open the demo database</source>
        <translation>데모 데이터베이스 열기</translation>
    </message>
    <message>
        <source>Recent databases</source>
        <translation>최근 데이터베이스</translation>
    </message>
    <message>
        <source>Open {database}</source>
        <translation>{database} 열기</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>데이터베이스를 여는 중…</translation>
    </message>
    <message>
        <source>Screens</source>
        <translation>화면</translation>
    </message>
    <message>
        <source>Field — {evaluator}</source>
        <translation>현장 — {evaluator}</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>사무국</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Today&apos;s visits</source>
        <translation>오늘의 방문</translation>
    </message>
    <message>
        <source>Monitoring visits</source>
        <translation>모니터링 방문</translation>
    </message>
    <message>
        <source>Hand back</source>
        <translation>결과 제출</translation>
    </message>
    <message>
        <source>Applications</source>
        <translation>신청서</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>가져오기</translation>
    </message>
    <message>
        <source>Assignments and conflicts</source>
        <translation>배정 및 이해충돌</translation>
    </message>
    <message>
        <source>Kits and packages</source>
        <translation>키트와 패키지</translation>
    </message>
    <message>
        <source>Ranking</source>
        <translation>순위</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Awards and follow-up</source>
        <translation>수혜 및 사후관리</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>진행 현황</translation>
    </message>
    <message>
        <source>Program and rounds</source>
        <translation>공모와 차수</translation>
    </message>
    <message>
        <source>Showing program {program}.</source>
        <translation>공모 {program}을(를) 표시합니다.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New database…</source>
        <translation>새 데이터베이스(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open database…</source>
        <translation>데이터베이스 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Connect to server…</source>
        <translation>서버에 연결(&amp;C)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>최근 파일(&amp;R)</translation>
    </message>
    <message>
        <source>Open the &amp;demo database</source>
        <translation>데모 데이터베이스 열기(&amp;D)</translation>
    </message>
    <message>
        <source>New &amp;program…</source>
        <translation>새 공모(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Back up database…</source>
        <translation>데이터베이스 백업(&amp;B)…</translation>
    </message>
    <message>
        <source>Re&amp;store from backup…</source>
        <translation>백업에서 복원(&amp;S)…</translation>
    </message>
    <message>
        <source>Make a &amp;field database from the demo</source>
        <translation>데모로 현장 데이터베이스 만들기(&amp;F)</translation>
    </message>
    <message>
        <source>Import a field &amp;kit…</source>
        <translation>현장 키트 가져오기(&amp;K)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>설정(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>로그 폴더 열기(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>프로그램 정보(&amp;A)</translation>
    </message>
    <message numerus="yes">
        <source>The passphrase did not open {name}. Try again (%n tries left):</source>
        <translation>
            <numerusform>암호 문구로 {name}을(를) 열지 못했습니다. 다시 입력하세요(남은 횟수 %n번):</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a file</source>
        <translation>파일 열기</translation>
    </message>
    <message>
        <source>{name} is opened in the office database; open the office database first, then open the file again.</source>
        <translation>{name}은(는) 사무국 데이터베이스에서 엽니다. 먼저 사무국 데이터베이스를 연 뒤 파일을 다시 여세요.</translation>
    </message>
    <message>
        <source>New database</source>
        <translation>새 데이터베이스</translation>
    </message>
    <message>
        <source>Database (*.sqlite3)</source>
        <translation>데이터베이스 (*.sqlite3)</translation>
    </message>
    <message>
        <source>A file with this name exists already</source>
        <translation>같은 이름의 파일이 이미 있습니다</translation>
    </message>
    <message>
        <source>Open database</source>
        <translation>데이터베이스 열기</translation>
    </message>
    <message>
        <source>Database (*.sqlite3 *.sqlite *.db);;All files (*)</source>
        <translation>데이터베이스 (*.sqlite3 *.sqlite *.db);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Creating the demo program</source>
        <translation>데모 공모 만드는 중</translation>
    </message>
    <message>
        <source>Backing up from the app works for SQLite databases; back up a PostgreSQL database with pg_dump.</source>
        <translation>프로그램에서는 SQLite 데이터베이스만 백업할 수 있습니다. PostgreSQL 데이터베이스는 pg_dump로 백업하세요.</translation>
    </message>
    <message>
        <source>Back up database</source>
        <translation>데이터베이스 백업</translation>
    </message>
    <message>
        <source>Backing up</source>
        <translation>백업하는 중</translation>
    </message>
    <message>
        <source>Backed up to {path}</source>
        <translation>{path}에 백업했습니다</translation>
    </message>
    <message>
        <source>Restoring from the app works for SQLite databases only.</source>
        <translation>프로그램에서는 SQLite 데이터베이스만 복원할 수 있습니다.</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>백업에서 복원</translation>
    </message>
    <message>
        <source>Replace the open database with the backup {source}?</source>
        <translation>열려 있는 데이터베이스를 백업 {source}(으)로 바꿀까요?</translation>
    </message>
    <message>
        <source>The open database is first saved beside it as {name}.before-restore-….</source>
        <translation>열려 있는 데이터베이스는 먼저 옆에 {name}.before-restore-… 이름으로 저장됩니다.</translation>
    </message>
    <message>
        <source>Restored from {source}; the previous database is at {safety}.</source>
        <translation>{source}에서 복원했습니다. 이전 데이터베이스는 {safety}에 있습니다.</translation>
    </message>
    <message>
        <source>About Maeul Evaluator</source>
        <translation>마을 평가 도우미 정보</translation>
    </message>
    <message>
        <source>Maeul Evaluator {version} — offline field evaluation, ranking and selection for community grant programs.</source>
        <translation>마을 평가 도우미 {version} — 마을공동체 지원사업을 위한 오프라인 현장 평가, 순위 산정, 선정 도구.</translation>
    </message>
    <message>
        <source>Fonts: Nanum Gothic (SIL Open Font License).</source>
        <translation>글꼴: 나눔고딕 (SIL Open Font License).</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <source>A job is still running. Cancel it and quit?</source>
        <translation>작업이 아직 진행 중입니다. 취소하고 끝낼까요?</translation>
    </message>
    <message>
        <source>Application ID</source>
        <extracomment>(sort key for the core, descending) — the screen reloads the IDs from the core emitted whenever a page of rows arrived (tests and the detail pane use it)</extracomment>
        <translation>접수번호</translation>
    </message>
    <message>
        <source>Track</source>
        <translation>지원유형</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>분야</translation>
    </message>
    <message>
        <source>Project title</source>
        <translation>사업명</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>단체명</translation>
    </message>
    <message>
        <source>District</source>
        <translation>자치구</translation>
    </message>
    <message>
        <source>Requested (KRW)</source>
        <translation>신청금액(원)</translation>
    </message>
    <message>
        <source>Submitted on</source>
        <translation>접수일</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>평가</translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n assigned evaluators have finalised</source>
        <translation>
            <numerusform>배정된 평가위원 %n명 중 {done}명 확정</numerusform>
        </translation>
    </message>
    <message>
        <source>Evaluation of {app} by {evaluator}</source>
        <extracomment>the least room of the free-text columns, in Hangul characters (the title, stretched, takes what is left)</extracomment>
        <translation>{app} — {evaluator} 평가</translation>
    </message>
    <message>
        <source>Search ID, title, group or district</source>
        <translation>접수번호, 사업명, 단체명, 자치구 검색</translation>
    </message>
    <message>
        <source>Search applications</source>
        <translation>신청서 검색</translation>
    </message>
    <message>
        <source>All tracks</source>
        <translation>모든 지원유형</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>모든 분야</translation>
    </message>
    <message>
        <source>All districts</source>
        <translation>모든 자치구</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <source>All evaluators</source>
        <translation>모든 평가위원</translation>
    </message>
    <message>
        <source>The selected application</source>
        <translation>선택한 신청서</translation>
    </message>
    <message>
        <source>Show contact details (recorded in the access log)</source>
        <translation>연락처 보기 (접속기록에 남습니다)</translation>
    </message>
    <message>
        <source>Evaluators</source>
        <translation>평가위원</translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation>사무국 담당자</translation>
    </message>
    <message>
        <source>Committee chair</source>
        <translation>심사위원장</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>열람자</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>평가위원</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>역할 없음</translation>
    </message>
    <message>
        <source>Acting: {name} ({role}, database login)</source>
        <translation>작업자: {name} ({role}, 데이터베이스 로그인)</translation>
    </message>
    <message>
        <source>Acting: {account} (operating-system account; nobody chosen)</source>
        <translation>작업자: {account} (운영체제 계정, 작업자 선택 안 함)</translation>
    </message>
    <message>
        <source>Acting: {name} ({role}) · account {account}</source>
        <translation>작업자: {name} ({role}) · 계정 {account}</translation>
    </message>
    <message>
        <source>Who is working?</source>
        <translation>누가 작업하나요?</translation>
    </message>
    <message>
        <source>Everything you change, view, print or export is recorded under your name (Korea&apos;s Personal Information Protection Act asks for it).</source>
        <translation>바꾸고, 열람하고, 인쇄하고, 내보내는 모든 일은 작업자 이름으로 기록됩니다(개인정보 보호법이 요구합니다).</translation>
    </message>
    <message>
        <source>Someone new…</source>
        <translation>새 작업자…</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>작업자</translation>
    </message>
    <message>
        <source>Your name, as the records should show it</source>
        <translation>기록에 남길 이름</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>역할</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Conflict: {type}</source>
        <translation>이해충돌: {type}</translation>
    </message>
    <message>
        <source>Planned visit</source>
        <translation>방문 예정일</translation>
    </message>
    <message>
        <source>Open evaluation (type in a paper sheet)…</source>
        <translation>평가 열기 (종이 평가표 입력)…</translation>
    </message>
    <message numerus="yes">
        <source>%n applications</source>
        <translation>
            <numerusform>신청서 %n건</numerusform>
        </translation>
    </message>
    <message>
        <source>(withheld: personal data)</source>
        <translation>(비공개: 개인정보)</translation>
    </message>
    <message>
        <source>Representative</source>
        <translation>대표자</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>연락처</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>주소</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>참여인원</translation>
    </message>
    <message>
        <source>Self-contribution (KRW)</source>
        <translation>자부담(원)</translation>
    </message>
    <message>
        <source>Withdrawn because</source>
        <translation>철회 사유</translation>
    </message>
    <message>
        <source>Eligibility gates</source>
        <translation>자격 요건</translation>
    </message>
    <message>
        <source>Gate</source>
        <translation>요건</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>기록자</translation>
    </message>
    <message>
        <source>Eligibility gates of the selected application</source>
        <translation>선택한 신청서의 자격 요건</translation>
    </message>
    <message>
        <source>Passed…</source>
        <translation>충족…</translation>
    </message>
    <message>
        <source>Failed…</source>
        <translation>미충족…</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>철회…</translation>
    </message>
    <message>
        <source>Withdrawn: {reason}</source>
        <translation>철회됨: {reason}</translation>
    </message>
    <message>
        <source>{gate} passed for {app}. A note (optional):</source>
        <translation>{app}은(는) &apos;{gate}&apos; 요건을 충족합니다. 메모(선택):</translation>
    </message>
    <message>
        <source>{gate} failed for {app}. A note (why):</source>
        <translation>{app}은(는) &apos;{gate}&apos; 요건을 충족하지 않습니다. 메모(사유):</translation>
    </message>
    <message>
        <source>Eligibility gate</source>
        <translation>자격 요건</translation>
    </message>
    <message>
        <source>{app}: {gate} {state}.</source>
        <translation>{app}: {gate} — {state}.</translation>
    </message>
    <message>
        <source>Withdraw {app}</source>
        <translation>{app} 철회</translation>
    </message>
    <message>
        <source>Why was {app} withdrawn? The application is kept, left out of the ranking and shown with this reason.</source>
        <translation>{app}을(를) 철회하는 사유는 무엇입니까? 신청서는 보관되며 순위에서 제외되고 이 사유와 함께 표시됩니다.</translation>
    </message>
    <message>
        <source>{app} withdrawn: {reason}</source>
        <translation>{app} 철회됨: {reason}</translation>
    </message>
    <message>
        <source>Not recorded (presumed passed)</source>
        <translation>기록 없음 (충족으로 간주)</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>수동</translation>
    </message>
    <message>
        <source>Passed ({kind})</source>
        <translation>충족 ({kind})</translation>
    </message>
    <message>
        <source>Failed ({kind})</source>
        <translation>미충족 ({kind})</translation>
    </message>
    <message>
        <source>Evaluators of the selected application</source>
        <translation>선택한 신청서의 평가위원</translation>
    </message>
    <message>
        <source>Applications (select one or several)</source>
        <translation>신청서 (하나 또는 여러 건 선택)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>메모</translation>
    </message>
    <message>
        <source>Assign or declare a conflict</source>
        <translation>배정 또는 이해충돌 신고</translation>
    </message>
    <message>
        <source>not planned (e.g. 2013-05-10)</source>
        <translation>미정 (예: 2013-05-10)</translation>
    </message>
    <message>
        <source>Assign to selected</source>
        <translation>선택한 신청서에 배정</translation>
    </message>
    <message>
        <source>Conflict type</source>
        <translation>이해충돌 유형</translation>
    </message>
    <message>
        <source>e.g. member of the applying group</source>
        <translation>예: 신청 단체의 회원</translation>
    </message>
    <message>
        <source>Declare conflict for selected</source>
        <translation>선택한 신청서에 이해충돌 신고</translation>
    </message>
    <message>
        <source>Assign automatically…</source>
        <translation>자동 배정…</translation>
    </message>
    <message>
        <source>Give every application of the round shown the same number of evaluators, the least loaded first, never a declared conflict; likely conflicts are listed for you to confirm.</source>
        <translation>표시 중인 차수의 모든 신청서에 같은 수의 평가위원을 배정합니다. 배정이 적은 위원부터, 신고된 이해충돌은 절대 배정하지 않으며, 이해충돌이 의심되는 경우는 확인할 수 있도록 목록으로 보여줍니다.</translation>
    </message>
    <message>
        <source>Load per evaluator</source>
        <translation>평가위원별 배정 현황</translation>
    </message>
    <message>
        <source>Code</source>
        <extracomment>how long the form waits after the last keystroke before it checks the file again</extracomment>
        <translation>코드</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>소속</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>배정</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>완료율</translation>
    </message>
    <message>
        <source>{code} {name} ({n} assigned)</source>
        <translation>{code} {name} ({n}건 배정)</translation>
    </message>
    <message numerus="yes">
        <source>%n applications selected (Shift/Ctrl+click selects several)</source>
        <translation>
            <numerusform>신청서 %n건 선택됨 (Shift/Ctrl+클릭으로 여러 건 선택)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Assign to %n selected</source>
        <translation>
            <numerusform>선택한 %n건에 배정</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Declare conflict for %n selected</source>
        <translation>
            <numerusform>선택한 %n건에 이해충돌 신고</numerusform>
        </translation>
    </message>
    <message>
        <source>Evaluators of {app}</source>
        <translation>{app}의 평가위원</translation>
    </message>
    <message>
        <source>“{text}” is not a date; type it as 2013-05-10 or pick it from the calendar. Nothing was changed.</source>
        <translation>“{text}”은(는) 날짜가 아닙니다. 2013-05-10 형식으로 입력하거나 달력에서 고르세요. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Assigned {evaluator} to %n applications.</source>
        <translation>
            <numerusform>{evaluator}을(를) 신청서 %n건에 배정했습니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Declared a conflict of {evaluator} with %n applications.</source>
        <translation>
            <numerusform>{evaluator}의 이해충돌을 신청서 %n건에 신고했습니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n applications could not be changed; the others were.</source>
        <translation>
            <numerusform>신청서 %n건은 바꾸지 못했고 나머지는 바꾸었습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hand back your results</source>
        <translation>평가 결과 제출</translation>
    </message>
    <message>
        <source>The result package carries your scores, visit logs, photos and your audit trail, signed with your key and encrypted to the office. Give the file to the office (USB stick or e-mail). You can produce it again at any time; the newest one counts.</source>
        <translation>결과 패키지에는 점수, 방문 기록, 사진, 변경 이력이 담기며 본인의 키로 서명되고 사무국만 열 수 있게 암호화됩니다. 파일을 사무국에 전달하세요(USB 또는 이메일). 언제든 다시 만들 수 있으며 가장 최근 것이 반영됩니다.</translation>
    </message>
    <message>
        <source>Not finalised yet</source>
        <translation>아직 확정하지 않은 평가</translation>
    </message>
    <message>
        <source>Produce the result package…</source>
        <translation>결과 패키지 만들기…</translation>
    </message>
    <message>
        <source>Your key fingerprint: {fp}</source>
        <translation>내 키 지문: {fp}</translation>
    </message>
    <message>
        <source>Your key is made (with a passphrase you choose) when you produce the first package.</source>
        <translation>내 키는 첫 결과 패키지를 만들 때 (직접 정한 암호 문구와 함께) 만들어집니다.</translation>
    </message>
    <message>
        <source>Choose who you are in Settings first.</source>
        <translation>먼저 [설정]에서 본인(평가위원)을 선택하세요.</translation>
    </message>
    <message>
        <source>Producing the result package</source>
        <translation>결과 패키지 만드는 중</translation>
    </message>
    <message numerus="yes">
        <source>%n evaluations are not finalised. Produce the package anyway?</source>
        <translation>
            <numerusform>평가 %n건이 아직 확정되지 않았습니다. 그래도 패키지를 만들까요?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n evaluations finalised.</source>
        <translation>
            <numerusform>평가 %n건 중 {done}건 확정.</numerusform>
        </translation>
    </message>
    <message>
        <source>Draft evaluations travel in the package but the office counts only finalised ones.</source>
        <translation>작성 중인 평가도 패키지에 담기지만, 사무국은 확정된 평가만 반영합니다.</translation>
    </message>
    <message>
        <source>Save the result package</source>
        <translation>결과 패키지 저장</translation>
    </message>
    <message>
        <source>Result packages (*{suffix})</source>
        <translation>결과 패키지 (*{suffix})</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>{path}에 저장했습니다.</translation>
    </message>
    <message>
        <source>Package fingerprint: {fp} — the office sees the same one when it merges.</source>
        <translation>패키지 지문: {fp} — 사무국이 병합할 때 같은 지문이 보입니다.</translation>
    </message>
    <message>
        <source>Your key fingerprint: {fp} — read it to the office when they ask (the first time only).</source>
        <translation>내 키 지문: {fp} — 사무국이 물으면 불러 주세요 (처음 한 번만).</translation>
    </message>
    <message numerus="yes">
        <source>%n evaluations ({finalised} finalised)</source>
        <translation>
            <numerusform>평가 %n건 (확정 {finalised}건)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n scores</source>
        <translation>
            <numerusform>점수 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n visit logs</source>
        <translation>
            <numerusform>방문 기록 %n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photos</source>
        <translation>
            <numerusform>사진 %n장</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n monitoring visits</source>
        <translation>
            <numerusform>모니터링 방문 %n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n monitoring photos</source>
        <translation>
            <numerusform>모니터링 사진 %n장</numerusform>
        </translation>
    </message>
    <message>
        <source>Neighbourhood</source>
        <translation>행정동</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>사업개요</translation>
    </message>
    <message>
        <source>Import applications</source>
        <translation>신청서 가져오기</translation>
    </message>
    <message>
        <source>Choose the intake spreadsheet (.xlsx). Title rows, Korean headers, merged cells, amounts like 5,000,000원 and dates like 2012.04.12 are understood; nothing is written until you press Import.</source>
        <translation>접수 현황 엑셀 파일(.xlsx)을 선택하세요. 제목 행, 한글 머리글, 병합된 셀, 5,000,000원 같은 금액, 2012.04.12 같은 날짜를 그대로 읽습니다. [가져오기]를 누르기 전에는 아무것도 저장되지 않습니다.</translation>
    </message>
    <message>
        <source>Drop an .xlsx file here</source>
        <translation>.xlsx 파일을 여기에 끌어다 놓으세요</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>파일 선택…</translation>
    </message>
    <message>
        <source>Other workbooks</source>
        <translation>다른 엑셀 파일</translation>
    </message>
    <message>
        <source>Evaluators and assignments…</source>
        <translation>평가위원과 배정…</translation>
    </message>
    <message>
        <source>Evaluators, assignments and conflict declarations from a workbook.</source>
        <translation>엑셀 파일에서 평가위원, 배정, 이해충돌 신고를 가져옵니다.</translation>
    </message>
    <message>
        <source>Paper scores…</source>
        <translation>종이 평가 점수…</translation>
    </message>
    <message>
        <source>Scores typed into the score template (the paper fallback); finalised evaluations stay locked.</source>
        <translation>점수 입력 양식에 옮겨 적은 점수(종이 평가표 대체)를 가져옵니다. 확정된 평가는 바뀌지 않습니다.</translation>
    </message>
    <message>
        <source>Finalise the evaluations whose scores are complete (the others are left as they are)</source>
        <translation>점수가 모두 입력된 평가는 확정 (나머지는 그대로 둠)</translation>
    </message>
    <message>
        <source>Column mapping (change a field to correct it)</source>
        <translation>열 대응 (틀린 항목은 바꾸세요)</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>열</translation>
    </message>
    <message>
        <source>Header in the sheet</source>
        <translation>시트의 머리글</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>Preview (first rows, as they will be stored)</source>
        <translation>미리 보기 (앞부분, 저장될 모습)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <extracomment>the interpreter&apos;s switch interval while the worker has work (CPython&apos;s default is 5 ms). Each time the GUI thread enters Python (a timer, a model&apos;s data(), a progress slot) while the worker runs Python, it waits up to this long for the GIL; a screen&apos;s repaint enters Python hundreds of times. 0.5 ms keeps those waits short (the GUI&apos;s p99 tick gap during exports 17-27 → 9-16 ms, measured) at no measurable cost to the jobs (the worker&apos;s CPU time the same within noise). the worker pushes progress at most this often (the GUI thread never drowns in signals) every timer created through make_timer (checked by the UI tests&apos; leak fixture)</extracomment>
        <translation>취소</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>다시 확인</translation>
    </message>
    <message>
        <source>Import another file</source>
        <translation>다른 파일 가져오기</translation>
    </message>
    <message>
        <source>1. Choose the file</source>
        <translation>1. 파일 선택</translation>
    </message>
    <message>
        <source>2. Check mapping and preview</source>
        <translation>2. 열 대응과 미리 보기 확인</translation>
    </message>
    <message>
        <source>3. Done</source>
        <translation>3. 완료</translation>
    </message>
    <message>
        <source>Choose the intake spreadsheet</source>
        <translation>접수 현황 파일 선택</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx *.xlsm);;All files (*)</source>
        <translation>엑셀 파일 (*.xlsx *.xlsm);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Reading {file}</source>
        <translation>{file} 읽는 중</translation>
    </message>
    <message numerus="yes">
        <source>Sheet “{sheet}”: header found on row {row}; %n data rows — would add {add}, update {upd}, leave {same} unchanged.</source>
        <translation>
            <numerusform>시트 “{sheet}”: {row}행에서 머리글을 찾았습니다. 자료 %n행 — 추가 {add}건, 수정 {upd}건, 변경 없음 {same}건 예정.</numerusform>
        </translation>
    </message>
    <message>
        <source>(keep aside)</source>
        <translation>(따로 보관)</translation>
    </message>
    <message>
        <source>(ignore)</source>
        <translation>(무시)</translation>
    </message>
    <message>
        <source>Field of column {letter} ({header})</source>
        <translation>열 {letter} ({header})에 대응할 항목</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>행</translation>
    </message>
    <message numerus="yes">
        <source>%n problems must be fixed in the sheet before importing:</source>
        <translation>
            <numerusform>가져오기 전에 시트에서 문제 %n건을 고쳐야 합니다:</numerusform>
        </translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>문제가 없습니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n warnings:</source>
        <translation>
            <numerusform>경고 %n건:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Import %n applications</source>
        <translation>
            <numerusform>신청서 %n건 가져오기</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing {file}</source>
        <translation>{file} 가져오는 중</translation>
    </message>
    <message>
        <source>Evaluators and assignments</source>
        <translation>평가위원과 배정</translation>
    </message>
    <message>
        <source>Paper scores</source>
        <translation>종이 평가 점수</translation>
    </message>
    <message numerus="yes">
        <source>Wrote {file}: %n rows</source>
        <extracomment>at most this many detail lines under a report (the rest is counted)</extracomment>
        <translation>
            <numerusform>{file}을(를) 만들었습니다: %n행</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n sheets)</source>
        <translation>
            <numerusform>(시트 %n개)</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrote {file}.</source>
        <translation>{file}을(를) 만들었습니다.</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… 외 %n건</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was written yet: this is what the import would do.</source>
        <translation>아직 아무것도 저장하지 않았습니다. 가져오면 다음과 같이 바뀝니다.</translation>
    </message>
    <message>
        <source>{file}: would add {add}, update {upd}, leave {same} unchanged.</source>
        <translation>{file}: 추가 {add}건, 수정 {upd}건, 변경 없음 {same}건 예정.</translation>
    </message>
    <message>
        <source>Imported {file}: {add} added, {upd} updated, {same} unchanged.</source>
        <translation>{file} 가져오기 완료: 추가 {add}건, 수정 {upd}건, 변경 없음 {same}건.</translation>
    </message>
    <message>
        <source>Added: {ids}</source>
        <translation>추가: {ids}</translation>
    </message>
    <message>
        <source>Unknown columns kept aside with each application: {columns}</source>
        <translation>알 수 없는 열은 신청서마다 따로 보관합니다: {columns}</translation>
    </message>
    <message>
        <source>would add</source>
        <translation>추가 예정</translation>
    </message>
    <message>
        <source>added</source>
        <translation>추가</translation>
    </message>
    <message>
        <source>{file}: evaluators {verb} {ev_add} (updated {ev_upd}), assignments {verb} {asg_add} (already there {asg_same}), conflict declarations {verb} {cf_add} (changed {cf_changed}).</source>
        <translation>{file}: 평가위원 {verb} {ev_add}명 (수정 {ev_upd}명), 배정 {verb} {asg_add}건 (이미 있음 {asg_same}건), 이해충돌 신고 {verb} {cf_add}건 (변경 {cf_changed}건).</translation>
    </message>
    <message>
        <source>New evaluators: {codes}</source>
        <translation>새 평가위원: {codes}</translation>
    </message>
    <message>
        <source>Evaluators updated: {codes}</source>
        <translation>수정된 평가위원: {codes}</translation>
    </message>
    <message>
        <source>Assign {evaluator} to {application}</source>
        <translation>{evaluator}을(를) {application}에 배정</translation>
    </message>
    <message>
        <source>Conflict of interest: {evaluator} with {application}</source>
        <translation>이해충돌: {evaluator} — {application}</translation>
    </message>
    <message>
        <source>{level} ({points:g} pts)</source>
        <translation>{level} ({points:g}점)</translation>
    </message>
    <message>
        <source>{points:g} pts</source>
        <translation>{points:g}점</translation>
    </message>
    <message>
        <source>visit date and time</source>
        <translation>방문 일시</translation>
    </message>
    <message>
        <source>attendees</source>
        <translation>참석자</translation>
    </message>
    <message numerus="yes">
        <source>%n scores would be saved</source>
        <translation>
            <numerusform>점수 %n개 저장 예정</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n scores saved</source>
        <translation>
            <numerusform>점수 %n개 저장</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n evaluations</source>
        <translation>
            <numerusform>평가 %n건</numerusform>
        </translation>
    </message>
    <message>
        <source>{same} unchanged, {blank} blank</source>
        <translation>변경 없음 {same}, 빈칸 {blank}</translation>
    </message>
    <message numerus="yes">
        <source>%n evaluations would be finalised</source>
        <translation>
            <numerusform>평가 %n건 확정 예정</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n evaluations finalised</source>
        <translation>
            <numerusform>평가 %n건 확정</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left as they are (not complete)</source>
        <translation>
            <numerusform>%n건은 그대로 둠(미완료)</numerusform>
        </translation>
    </message>
    <message>
        <source>Would be finalised:</source>
        <translation>확정 예정:</translation>
    </message>
    <message>
        <source>Finalised:</source>
        <translation>확정:</translation>
    </message>
    <message>
        <source>Left as they are (not complete):</source>
        <translation>그대로 둔 평가 (미완료):</translation>
    </message>
    <message>
        <source>{application} · {evaluator}: missing {what}</source>
        <translation>{application} · {evaluator}: 빠진 항목 — {what}</translation>
    </message>
    <message>
        <source>Import this workbook?</source>
        <translation>이 파일을 가져올까요?</translation>
    </message>
    <message>
        <source>{file}: rejected, nothing changed — {reason}</source>
        <translation>{file}: 거부됨, 바뀐 것 없음 — {reason}</translation>
    </message>
    <message>
        <source>{file} ({who}): already merged, nothing changed</source>
        <translation>{file} ({who}): 이미 병합됨, 바뀐 것 없음</translation>
    </message>
    <message>
        <source>{file} ({who}): merged — {added} added, {updated} updated, {unchanged} unchanged, {conflicts} conflicts</source>
        <translation>{file} ({who}): 병합 완료 — 추가 {added}, 수정 {updated}, 변경 없음 {unchanged}, 충돌 {conflicts}</translation>
    </message>
    <message>
        <source>package fingerprint {fp}</source>
        <translation>패키지 지문 {fp}</translation>
    </message>
    <message>
        <source>evaluations</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>scores</source>
        <translation>점수</translation>
    </message>
    <message>
        <source>visit logs</source>
        <translation>방문 기록</translation>
    </message>
    <message>
        <source>photos and files</source>
        <translation>사진·파일</translation>
    </message>
    <message>
        <source>audit entries</source>
        <translation>감사 기록</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>수정</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>변경 없음</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>conflicts</source>
        <translation>충돌</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>건너뜀</translation>
    </message>
    <message>
        <source>Register an evaluator&apos;s key</source>
        <translation>평가위원 키 등록</translation>
    </message>
    <message>
        <source>The first package of an evaluator carries their new key. Phone the evaluator and ask them to read the key fingerprint shown on their Hand back screen; type it here.</source>
        <translation>평가위원의 첫 결과 패키지에는 새 키가 들어 있습니다. 평가위원에게 전화해 [결과 제출] 화면에 보이는 키 지문을 불러 달라고 하고 여기에 입력하세요.</translation>
    </message>
    <message>
        <source>Package or key file</source>
        <translation>패키지 또는 키 파일</translation>
    </message>
    <message>
        <source>Choose the package or key file</source>
        <translation>패키지 또는 키 파일 선택</translation>
    </message>
    <message>
        <source>Fingerprint read by the evaluator</source>
        <translation>평가위원이 불러 준 지문</translation>
    </message>
    <message>
        <source>Result packages and key files (*{package} *.pub);;All files (*)</source>
        <translation>결과 패키지와 키 파일 (*{package} *.pub);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>1. Field kits — one file per evaluator</source>
        <translation>1. 현장 키트 — 평가위원마다 파일 하나</translation>
    </message>
    <message>
        <source>A kit holds the program, the rubric and the evaluator&apos;s assigned applications with only what the visit needs. Give each evaluator their file (USB stick or e-mail).</source>
        <translation>키트에는 공모, 평가표, 평가위원에게 배정된 신청서 가운데 방문에 필요한 정보만 담깁니다. 평가위원마다 자기 파일을 전달하세요(USB 또는 이메일).</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation>키 지문</translation>
    </message>
    <message>
        <source>not registered</source>
        <translation>미등록</translation>
    </message>
    <message>
        <source>Evaluators and their kits</source>
        <translation>평가위원과 키트</translation>
    </message>
    <message>
        <source>Build kits for all evaluators…</source>
        <translation>모든 평가위원의 키트 만들기…</translation>
    </message>
    <message>
        <source>Register an evaluator&apos;s key…</source>
        <translation>평가위원 키 등록…</translation>
    </message>
    <message>
        <source>2. Result packages — merge what comes back</source>
        <translation>2. 결과 패키지 — 돌아온 결과 병합</translation>
    </message>
    <message>
        <source>Drop result packages here, or choose them with the button. Merging the same package twice changes nothing; a package that fails verification changes nothing and says why.</source>
        <translation>결과 패키지를 여기에 끌어다 놓거나 버튼으로 선택하세요. 같은 패키지를 두 번 병합해도 바뀌는 것이 없고, 검증에 실패한 패키지는 아무것도 바꾸지 않고 이유를 알려 줍니다.</translation>
    </message>
    <message>
        <source>Choose packages…</source>
        <translation>패키지 선택…</translation>
    </message>
    <message>
        <source>The merge report appears here.</source>
        <translation>병합 결과가 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>3. Conflicts to decide</source>
        <translation>3. 결정할 충돌</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>기록</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Visit log</source>
        <translation>방문 기록</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>유지된 값</translation>
    </message>
    <message>
        <source>Conflicts to decide</source>
        <translation>결정할 충돌</translation>
    </message>
    <message>
        <source>Both values of the selected conflict</source>
        <translation>선택한 충돌의 두 값</translation>
    </message>
    <message>
        <source>Other value</source>
        <translation>다른 값</translation>
    </message>
    <message numerus="yes">
        <source>%n kits written to {folder}</source>
        <translation>
            <numerusform>키트 %n개를 {folder}에 저장했습니다</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n packages: {merged} merged, {rejected} rejected.</source>
        <translation>
            <numerusform>패키지 %n개: 병합 {merged}, 거부 {rejected}.</numerusform>
        </translation>
    </message>
    <message>
        <source>the office&apos;s value</source>
        <translation>사무국 값</translation>
    </message>
    <message>
        <source>the package&apos;s value</source>
        <translation>패키지 값</translation>
    </message>
    <message>
        <source>a finalised evaluation beats a draft</source>
        <translation>확정된 평가가 작성 중인 평가보다 우선</translation>
    </message>
    <message>
        <source>the later change wins</source>
        <translation>나중에 바뀐 값을 유지</translation>
    </message>
    <message>
        <source>changed at the same time: the larger device ID wins</source>
        <translation>같은 시각에 바뀜: 기기 ID가 큰 쪽을 유지</translation>
    </message>
    <message>
        <source>abstained</source>
        <translation>기권</translation>
    </message>
    <message>
        <source>Finalised at</source>
        <translation>확정 일시</translation>
    </message>
    <message>
        <source>Abstention reason</source>
        <translation>기권 사유</translation>
    </message>
    <message>
        <source>{criterion}: comment</source>
        <translation>{criterion}: 의견</translation>
    </message>
    <message>
        <source>Overall comment</source>
        <translation>종합 의견</translation>
    </message>
    <message>
        <source>checked</source>
        <translation>확인함</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>확인 안 함</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>기기</translation>
    </message>
    <message>
        <source>Changed at</source>
        <translation>변경 일시</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>사유</translation>
    </message>
    <message>
        <source>What</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>Kept value</source>
        <translation>유지된 값</translation>
    </message>
    <message>
        <source>Select a conflict to see both values side by side; rows that differ are marked ≠.</source>
        <translation>충돌을 고르면 두 값이 나란히 표시됩니다. 다른 행에는 ≠ 표시가 붙습니다.</translation>
    </message>
    <message>
        <source>Keep this value</source>
        <translation>이 값 유지</translation>
    </message>
    <message>
        <source>Use the other value…</source>
        <translation>다른 값 사용…</translation>
    </message>
    <message>
        <source>Office key: none yet — it is made (with a passphrase) when you build the first kits.</source>
        <translation>사무국 키: 아직 없음 — 처음 키트를 만들 때 (암호 문구와 함께) 만들어집니다.</translation>
    </message>
    <message>
        <source>Office key fingerprint: {fp}</source>
        <translation>사무국 키 지문: {fp}</translation>
    </message>
    <message>
        <source>Kits</source>
        <translation>키트</translation>
    </message>
    <message>
        <source>No evaluator has assignments yet; assign evaluators first.</source>
        <translation>아직 배정된 평가위원이 없습니다. 먼저 평가위원을 배정하세요.</translation>
    </message>
    <message>
        <source>Folder for the kits</source>
        <translation>키트를 저장할 폴더</translation>
    </message>
    <message>
        <source>Building kits</source>
        <translation>키트 만드는 중</translation>
    </message>
    <message>
        <source>Choose result packages</source>
        <translation>결과 패키지 선택</translation>
    </message>
    <message>
        <source>Result packages (*{suffix});;All files (*)</source>
        <translation>결과 패키지 (*{suffix});;모든 파일 (*)</translation>
    </message>
    <message numerus="yes">
        <source>Merging %n packages</source>
        <translation>
            <numerusform>패키지 %n개 병합하는 중</numerusform>
        </translation>
    </message>
    <message>
        <source>Registered key {fp} for {evaluator}.</source>
        <translation>{evaluator}의 키 {fp}를 등록했습니다.</translation>
    </message>
    <message>
        <source>Decide a conflict</source>
        <translation>충돌 결정</translation>
    </message>
    <message>
        <source>Why? (goes in the audit trail)</source>
        <translation>사유 (변경 이력에 남습니다)</translation>
    </message>
    <message>
        <source>Try the field mode</source>
        <translation>현장 모드 체험</translation>
    </message>
    <message>
        <source>This makes a field database — what an evaluator&apos;s laptop holds — from this database&apos;s kit for one evaluator, and opens it. Reopen the office database later from File → Open recent.</source>
        <translation>평가위원 한 명의 키트로 현장 데이터베이스(평가위원 노트북에 들어가는 것)를 만들어 엽니다. 사무국 데이터베이스는 나중에 [파일 → 최근 파일]에서 다시 여세요.</translation>
    </message>
    <message>
        <source>New office key passphrase</source>
        <translation>새 사무국 키 암호 문구</translation>
    </message>
    <message>
        <source>Office key passphrase</source>
        <translation>사무국 키 암호 문구</translation>
    </message>
    <message>
        <source>Field database</source>
        <translation>현장 데이터베이스</translation>
    </message>
    <message>
        <source>No evaluator has assignments in this database.</source>
        <translation>이 데이터베이스에는 배정된 평가위원이 없습니다.</translation>
    </message>
    <message>
        <source>Making the field database</source>
        <translation>현장 데이터베이스 만드는 중</translation>
    </message>
    <message>
        <source>Encrypted field kit</source>
        <translation>암호화된 현장 키트</translation>
    </message>
    <message>
        <source>{kit} carries applicants&apos; contact data, so the office encrypted it with a passphrase. Type the kit passphrase the office gave you (by phone or in person, never with the file).</source>
        <translation>{kit}에는 신청 단체의 연락처가 들어 있어 사무국이 암호 문구로 암호화했습니다. 사무국이 알려 준 키트 암호 문구를 입력하세요(파일과 함께가 아니라 전화나 대면으로 받은 것).</translation>
    </message>
    <message>
        <source>Kit passphrase</source>
        <translation>키트 암호 문구</translation>
    </message>
    <message>
        <source>{kit} carries applicants&apos; contact data, so the office encrypted it to your key ({evaluator}, {fingerprint}). Type your key&apos;s passphrase.</source>
        <translation>{kit}에는 신청 단체의 연락처가 들어 있어 사무국이 평가위원님의 키({evaluator}, {fingerprint})로 암호화했습니다. 키의 암호 문구를 입력하세요.</translation>
    </message>
    <message>
        <source>Your key&apos;s passphrase</source>
        <translation>내 키의 암호 문구</translation>
    </message>
    <message numerus="yes">
        <source>That passphrase did not open the kit. %n tries left.</source>
        <translation>
            <numerusform>그 암호 문구로는 키트를 열 수 없습니다. 남은 횟수 %n번.</numerusform>
        </translation>
    </message>
    <message>
        <source>Import a field kit</source>
        <extracomment>how many times a wrong kit passphrase is asked again</extracomment>
        <translation>현장 키트 가져오기</translation>
    </message>
    <message>
        <source>Field kits (*{suffix});;All files (*)</source>
        <translation>현장 키트 (*{suffix});;모든 파일 (*)</translation>
    </message>
    <message>
        <source>{kit} is encrypted to evaluator {evaluator}&apos;s key, and this computer has no key file for {evaluator}.</source>
        <translation>{kit}은(는) 평가위원 {evaluator}의 키로 암호화되어 있는데, 이 컴퓨터에는 {evaluator}의 키 파일이 없습니다.</translation>
    </message>
    <message>
        <source>Import it on the laptop that holds that key, or ask the office for a kit protected with a passphrase instead. Nothing was changed.</source>
        <translation>그 키가 있는 노트북에서 가져오거나, 사무국에 암호 문구로 보호한 키트를 요청하세요. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>New field database</source>
        <translation>새 현장 데이터베이스</translation>
    </message>
    <message>
        <source>Importing the kit</source>
        <translation>키트 가져오는 중</translation>
    </message>
    <message>
        <source>Ranked lists</source>
        <extracomment>the core call: run(store, out, options, progress, cancel); options are the screen&apos;s choices whether it can carry the applicants&apos; contact data (then only when asked, with a reason)</extracomment>
        <translation>순위표</translation>
    </message>
    <message>
        <source>Per track: rank, score, decision and reason.</source>
        <translation>지원유형별 순위, 점수, 결정, 사유.</translation>
    </message>
    <message>
        <source>All scores</source>
        <translation>전체 점수</translation>
    </message>
    <message>
        <source>Every score of every evaluator, criterion by criterion.</source>
        <translation>모든 평가위원의 항목별 점수 전체.</translation>
    </message>
    <message>
        <source>Visits and finalisations per evaluator and track.</source>
        <translation>평가위원별·지원유형별 방문과 확정 현황.</translation>
    </message>
    <message>
        <source>Score template</source>
        <translation>점수 입력 양식</translation>
    </message>
    <message>
        <source>One row per application and criterion, to type paper scores into (import it under Import).</source>
        <translation>신청서·항목마다 한 줄씩, 종이 평가 점수를 옮겨 적는 양식 ([가져오기]에서 불러옵니다).</translation>
    </message>
    <message>
        <source>Committee summary</source>
        <translation>심사위원회 요약</translation>
    </message>
    <message>
        <source>The ranking per track with the cut line, for signing.</source>
        <translation>선정선이 표시된 지원유형별 순위 (서명용).</translation>
    </message>
    <message>
        <source>Aggregate sheets</source>
        <translation>종합 평가표</translation>
    </message>
    <message>
        <source>One sheet per application with every evaluator&apos;s scores.</source>
        <translation>신청서마다 모든 평가위원의 점수를 모은 평가표.</translation>
    </message>
    <message>
        <source>Filled score sheets</source>
        <translation>작성된 평가표</translation>
    </message>
    <message>
        <source>Each evaluator&apos;s score sheets as scored.</source>
        <translation>평가위원별로 채점한 평가표.</translation>
    </message>
    <message>
        <source>Blank score sheets</source>
        <translation>빈 평가표</translation>
    </message>
    <message>
        <source>Paper fallback for the field study.</source>
        <translation>현장 평가용 종이 평가표.</translation>
    </message>
    <message>
        <source>Dossier of one application</source>
        <translation>신청서 종합 자료</translation>
    </message>
    <message>
        <source>Everything about the application chosen above in one document.</source>
        <translation>위에서 고른 신청서의 모든 내용을 한 문서로.</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>옵션</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>산정 방식</translation>
    </message>
    <message>
        <source>The program&apos;s setting</source>
        <translation>공모 설정값</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>신청서</translation>
    </message>
    <message>
        <source>The ranked lists, the scores and progress workbooks, the score template, the committee summary and the score sheets are of the round shown at the top of the window.</source>
        <translation>순위표, 점수와 진행 현황 엑셀 파일, 점수 입력 양식, 위원회 요약표와 평가표는 창 위쪽에 표시된 차수의 것입니다.</translation>
    </message>
    <message>
        <source>Excel workbooks (for the city&apos;s systems)</source>
        <translation>엑셀 파일 (시 업무 시스템용)</translation>
    </message>
    <message>
        <source>PDF documents (to print and sign)</source>
        <translation>PDF 문서 (인쇄·서명용)</translation>
    </message>
    <message>
        <source>Include the applicants&apos; contact data (ranked lists, filled sheets, dossier; you are asked why, and it is recorded in the access log)</source>
        <translation>신청자 연락처 포함 (순위표, 작성된 평가표, 종합 자료: 사유를 묻고 접속기록에 남깁니다)</translation>
    </message>
    <message>
        <source>Without it, documents and workbooks name applications by ID and group name only. Every output is recorded in the access log.</source>
        <translation>포함하지 않으면 문서와 통합문서에는 접수번호와 단체명만 나옵니다. 모든 출력은 접속기록에 남습니다.</translation>
    </message>
    <message>
        <source>Open the folder when done</source>
        <translation>끝나면 폴더 열기</translation>
    </message>
    <message>
        <source>Round: {round}</source>
        <translation>차수: {round}</translation>
    </message>
    <message>
        <source>Choose the application above first.</source>
        <translation>먼저 위에서 신청서를 고르세요.</translation>
    </message>
    <message>
        <source>Why does this output need the applicants&apos; contact data? (kept in the access log)</source>
        <translation>이 출력에 신청자 연락처가 필요한 이유는 무엇입니까? (접속기록에 남습니다)</translation>
    </message>
    <message>
        <source>Agreed</source>
        <comment>award status</comment>
        <translation>협약</translation>
    </message>
    <message>
        <source>In progress</source>
        <comment>award status</comment>
        <translation>진행 중</translation>
    </message>
    <message>
        <source>Completed</source>
        <comment>award status</comment>
        <translation>완료</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <comment>award status</comment>
        <translation>포기</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <comment>award status</comment>
        <translation>취소</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>예정</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>교육</translation>
    </message>
    <message>
        <source>Consulting</source>
        <translation>컨설팅</translation>
    </message>
    <message>
        <source>Counselling</source>
        <translation>상담</translation>
    </message>
    <message>
        <source>Settlement submitted</source>
        <translation>정산 제출</translation>
    </message>
    <message>
        <source>Settlement checked</source>
        <translation>정산 확인</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>Adjust the award of {application}</source>
        <translation>{application} 지원금 조정</translation>
    </message>
    <message>
        <source>Amount (won)</source>
        <translation>금액(원)</translation>
    </message>
    <message>
        <source>Agreement date</source>
        <translation>협약일</translation>
    </message>
    <message>
        <source>Project starts</source>
        <translation>사업 시작일</translation>
    </message>
    <message>
        <source>Project ends</source>
        <translation>사업 종료일</translation>
    </message>
    <message>
        <source>kept in the audit trail</source>
        <translation>감사 기록에 남습니다</translation>
    </message>
    <message>
        <source>Type the amount in won and dates as 2012-06-20.</source>
        <translation>금액은 원 단위로, 날짜는 2012-06-20 형식으로 입력하세요.</translation>
    </message>
    <message>
        <source>The award needs its amount.</source>
        <translation>지원 금액을 입력하세요.</translation>
    </message>
    <message>
        <source>Say why (the reason is kept in the audit trail).</source>
        <translation>사유를 입력하세요(사유는 감사 기록에 남습니다).</translation>
    </message>
    <message>
        <source>Change the status of {application}</source>
        <translation>{application} 상태 변경</translation>
    </message>
    <message>
        <source>New status</source>
        <translation>새 상태</translation>
    </message>
    <message>
        <source>The best-ranked reserve of the same round and track steps in</source>
        <translation>같은 차수·유형의 최상위 예비 단체가 대신 선정됨</translation>
    </message>
    <message>
        <source>A withdrawn or cancelled award keeps its status.</source>
        <translation>포기하거나 취소된 지원은 상태를 바꿀 수 없습니다.</translation>
    </message>
    <message>
        <source>Record a tranche for {application}</source>
        <translation>{application} 교부 기록</translation>
    </message>
    <message>
        <source>Awarded {amount} won, disbursed {disbursed} won, balance {balance} won.</source>
        <translation>지원 {amount}원, 교부 {disbursed}원, 잔액 {balance}원.</translation>
    </message>
    <message>
        <source>Paid on</source>
        <translation>교부일</translation>
    </message>
    <message>
        <source>The tranche needs its amount and date.</source>
        <translation>교부 금액과 날짜를 입력하세요.</translation>
    </message>
    <message>
        <source>Log a support session for {application}</source>
        <translation>{application} 지원 활동 기록</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>주제</translation>
    </message>
    <message>
        <source>Given by</source>
        <translation>진행자</translation>
    </message>
    <message>
        <source>not counted</source>
        <translation>집계 안 함</translation>
    </message>
    <message>
        <source>The session needs its date and topic.</source>
        <translation>날짜와 주제를 입력하세요.</translation>
    </message>
    <message>
        <source>Record the settlement of {application}</source>
        <translation>{application} 정산 기록</translation>
    </message>
    <message>
        <source>Settlement</source>
        <translation>정산</translation>
    </message>
    <message>
        <source>Amount returned (won)</source>
        <translation>반환액(원)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Type the amount in won, e.g. 150,000.</source>
        <translation>금액을 원 단위로 입력하세요(예: 150,000).</translation>
    </message>
    <message>
        <source>The amount returned cannot be more than what was disbursed ({disbursed} won).</source>
        <translation>반환액은 교부액({disbursed}원)보다 클 수 없습니다.</translation>
    </message>
    <message>
        <source>Monitoring plan</source>
        <translation>모니터링 계획</translation>
    </message>
    <message>
        <source>Which visits every award gets, in months after its project starts (its start date, else its agreement date): e.g. mid=3, final=6. Each track keeps its monitoring rubric (the shipped one unless set with the command line).</source>
        <translation>각 지원 사업이 받을 방문과 시기(사업 시작일, 없으면 협약일로부터 몇 개월 뒤)를 정합니다: 예) mid=3, final=6. 유형별 모니터링 평가표는 그대로 유지됩니다(명령줄로 정하지 않았다면 기본 제공 평가표).</translation>
    </message>
    <message>
        <source>Visits (code=months)</source>
        <translation>방문(코드=개월)</translation>
    </message>
    <message>
        <source>&apos;{part}&apos; is not CODE=MONTHS (e.g. mid=3).</source>
        <translation>&apos;{part}&apos;은(는) 코드=개월 형식이 아닙니다(예: mid=3).</translation>
    </message>
    <message>
        <source>Name at least one visit, e.g. mid=3, final=6.</source>
        <translation>방문을 하나 이상 입력하세요. 예) mid=3, final=6</translation>
    </message>
    <message>
        <source>Monitoring plan…</source>
        <translation>모니터링 계획…</translation>
    </message>
    <message>
        <source>Assign visitors</source>
        <translation>방문자 배정</translation>
    </message>
    <message>
        <source>Follow-up workbook…</source>
        <translation>사후관리 엑셀…</translation>
    </message>
    <message>
        <source>Follow-up summary PDF…</source>
        <translation>사후관리 요약 PDF…</translation>
    </message>
    <message>
        <source>Blank visit sheets PDF…</source>
        <translation>빈 사후관리 점검표 PDF…</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>단체</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>지원금</translation>
    </message>
    <message>
        <source>Disbursed</source>
        <translation>교부액</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>잔액</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>협약일</translation>
    </message>
    <message>
        <source>Project period</source>
        <translation>사업 기간</translation>
    </message>
    <message>
        <source>Next visit due</source>
        <translation>다음 방문 예정일</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>지연</translation>
    </message>
    <message>
        <source>Awards</source>
        <translation>지원 목록</translation>
    </message>
    <message>
        <source>Adjust amount and terms…</source>
        <translation>금액·조건 조정…</translation>
    </message>
    <message>
        <source>Change status…</source>
        <translation>상태 변경…</translation>
    </message>
    <message>
        <source>Record a tranche…</source>
        <translation>교부 기록…</translation>
    </message>
    <message>
        <source>Log support…</source>
        <translation>지원 활동 기록…</translation>
    </message>
    <message>
        <source>Record settlement…</source>
        <translation>정산 기록…</translation>
    </message>
    <message>
        <source>Dossier PDF…</source>
        <translation>종합 자료 PDF…</translation>
    </message>
    <message>
        <source>The award&apos;s follow-up dossier: the award, every visit with its findings and actions, tranches, settlement, support and photos</source>
        <translation>수혜 건의 사후관리 종합 자료: 수혜 내용, 방문마다의 점검 결과와 조치 사항, 교부, 정산, 지원 기록, 사진</translation>
    </message>
    <message>
        <source>Visit sheets PDF…</source>
        <translation>사후관리 점검표 PDF…</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>방문</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>계획</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>방문자</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>예정일</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>방문 일시</translation>
    </message>
    <message>
        <source>Blank visit sheets</source>
        <translation>빈 사후관리 점검표</translation>
    </message>
    <message>
        <source>Follow-up dossier</source>
        <translation>사후관리 종합 자료</translation>
    </message>
    <message>
        <source>Visit sheets</source>
        <translation>사후관리 점검표</translation>
    </message>
    <message>
        <source>Open actions</source>
        <translation>미이행 조치</translation>
    </message>
    <message>
        <source>Visits of the selected award</source>
        <translation>선택한 지원의 방문</translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n일</numerusform>
        </translation>
    </message>
    <message>
        <source>Visits due</source>
        <translation>예정 방문</translation>
    </message>
    <message>
        <source>Only overdue</source>
        <translation>지연된 방문만</translation>
    </message>
    <message>
        <source>Due and overdue visits</source>
        <translation>예정 및 지연 방문</translation>
    </message>
    <message numerus="yes">
        <source>%n awards</source>
        <translation>
            <numerusform>지원 %n건</numerusform>
        </translation>
    </message>
    <message>
        <source>{awarded} won awarded, {disbursed} won disbursed</source>
        <translation>지원 {awarded}원, 교부 {disbursed}원</translation>
    </message>
    <message>
        <source>counted as of {date}, the program&apos;s follow-up date</source>
        <translation>사후관리 기준일 {date} 기준</translation>
    </message>
    <message>
        <source>{amount} won returned</source>
        <translation>{amount}원 반환</translation>
    </message>
    <message numerus="yes">
        <source>%n visits overdue</source>
        <translation>
            <numerusform>지연 방문 %n건</numerusform>
        </translation>
    </message>
    <message>
        <source>The paper form of every monitoring visit still to make</source>
        <translation>아직 하지 않은 모든 모니터링 방문의 종이 사후관리 점검표</translation>
    </message>
    <message>
        <source>The filled sheet of each monitoring visit recorded for the award</source>
        <translation>이 수혜 건에 기록된 모니터링 방문마다 작성된 사후관리 점검표</translation>
    </message>
    <message>
        <source>monitoring plan: {visits} months</source>
        <translation>모니터링 계획: {visits}개월</translation>
    </message>
    <message>
        <source>no monitoring plan yet</source>
        <translation>모니터링 계획 없음</translation>
    </message>
    <message>
        <source>Choose an award above.</source>
        <translation>위에서 지원을 선택하세요.</translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation>사유: {reason}</translation>
    </message>
    <message>
        <source>steps in for {application}</source>
        <translation>{application} 대신 선정</translation>
    </message>
    <message numerus="yes">
        <source>%n tranches</source>
        <translation>
            <numerusform>교부 %n회</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n support sessions</source>
        <translation>
            <numerusform>지원 활동 %n회</numerusform>
        </translation>
    </message>
    <message>
        <source>The award of {application} is now {amount} won.</source>
        <translation>{application} 지원금은 이제 {amount}원입니다.</translation>
    </message>
    <message>
        <source>{application} is now {status}.</source>
        <translation>{application}: 이제 {status} 상태입니다.</translation>
    </message>
    <message>
        <source>Reserve {application} steps in: it is selected and awarded {amount} won.</source>
        <translation>예비 단체 {application}이(가) 대신 선정되어 {amount}원을 지원받습니다.</translation>
    </message>
    <message>
        <source>Tranche {n} of {amount} won recorded for {application}.</source>
        <translation>{application} {n}차 교부 {amount}원을 기록했습니다.</translation>
    </message>
    <message>
        <source>Support session logged for {application}.</source>
        <translation>{application} 지원 활동을 기록했습니다.</translation>
    </message>
    <message>
        <source>{application}: {settlement}.</source>
        <translation>{application}: {settlement}.</translation>
    </message>
    <message>
        <source>Monitoring plan set: {visits}.</source>
        <translation>모니터링 계획을 정했습니다: {visits}.</translation>
    </message>
    <message>
        <source>Give every running award&apos;s planned visits a visitor? An award keeps its visitor; the others go to the least loaded evaluator with no declared conflict.</source>
        <translation>진행 중인 모든 지원의 예정 방문에 방문자를 배정할까요? 이미 방문자가 있는 지원은 그대로 두고, 나머지는 이해충돌이 없는 평가위원 중 맡은 방문이 가장 적은 사람에게 배정합니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n visits added.</source>
        <translation>
            <numerusform>방문 %n건을 추가했습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Visits per visitor: {loads}.</source>
        <translation>방문자별 방문: {loads}.</translation>
    </message>
    <message>
        <source>No visitor could be found for {applications}.</source>
        <translation>방문자를 찾지 못한 지원: {applications}.</translation>
    </message>
    <message>
        <source>Follow-up workbook</source>
        <translation>사후관리 엑셀</translation>
    </message>
    <message>
        <source>Follow-up summary</source>
        <translation>사후관리 요약</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>엑셀 파일 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 문서 (*.pdf)</translation>
    </message>
    <message>
        <source>Finalised share</source>
        <translation>확정 비율</translation>
    </message>
    <message>
        <source>Per evaluator</source>
        <translation>평가위원별</translation>
    </message>
    <message>
        <source>Per track</source>
        <translation>지원유형별</translation>
    </message>
    <message>
        <source>Fully evaluated</source>
        <translation>평가 완료 신청서</translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n evaluations finalised ({pct:.0f} %), {started} in progress, {todo} not visited.</source>
        <translation>
            <numerusform>평가 %n건 중 {done}건 확정 ({pct:.0f} %), {started}건 평가 중, {todo}건 방문 전.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{complete} of %n applications fully evaluated.</source>
        <translation>
            <numerusform>신청서 %n건 중 {complete}건 평가 완료.</numerusform>
        </translation>
    </message>
    <message>
        <source>Override the decision on {app}</source>
        <translation>{app}의 결정 변경</translation>
    </message>
    <message>
        <source>Computed: {decision} — {reason}</source>
        <translation>산정 결과: {decision} — {reason}</translation>
    </message>
    <message>
        <source>Computed decision again (remove the override)</source>
        <translation>산정 결과로 되돌리기 (변경 취소)</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>결정</translation>
    </message>
    <message>
        <source>Required: the committee&apos;s reason, as it goes in the minutes</source>
        <translation>필수: 회의록에 남길 위원회의 사유</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <source>The program&apos;s setting gives the decision of record; another method is a what-if view that stores nothing.</source>
        <translation>공모 설정의 집계 방식으로 산정한 결과가 공식 결정으로 저장됩니다. 다른 방식은 가정 분석(what-if)이며 아무것도 저장하지 않습니다.</translation>
    </message>
    <message>
        <source>Provisional (count drafts)</source>
        <translation>잠정 (작성 중 평가 포함)</translation>
    </message>
    <message>
        <source>Count evaluations that are not finalised yet; every row is marked provisional and nothing is stored.</source>
        <translation>아직 확정되지 않은 평가도 계산에 넣습니다. 모든 행이 잠정으로 표시되며 저장되지 않습니다.</translation>
    </message>
    <message>
        <source>Override decision…</source>
        <translation>결정 변경…</translation>
    </message>
    <message>
        <source>Rank again</source>
        <translation>다시 산정</translation>
    </message>
    <message>
        <source>Make it the program&apos;s method…</source>
        <translation>공모의 집계 방식으로 정하기…</translation>
    </message>
    <message>
        <source>Change the program&apos;s ranking setting to this method (audited); the next ranking stores its decisions with it.</source>
        <translation>공모의 순위 설정을 이 방식으로 바꿉니다(감사 기록). 다음 순위 산정부터 이 방식으로 결정이 저장됩니다.</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>순위</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>점수</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>표시</translation>
    </message>
    <message>
        <source>Stability</source>
        <translation>안정도</translation>
    </message>
    <message>
        <source>Share of perturbed rankings in which this application is selected</source>
        <translation>조건을 조금씩 바꾼 순위 산정에서 이 신청서가 선정된 비율</translation>
    </message>
    <message>
        <source>Spread</source>
        <translation>편차(최고-최저)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>총점</translation>
    </message>
    <message>
        <source>Normalised</source>
        <translation>표준화 점수</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>반영</translation>
    </message>
    <message>
        <source>same organisation</source>
        <extracomment>the conflict type a likely conflict is confirmed as, by what matched (the office can choose another)</extracomment>
        <translation>같은 소속</translation>
    </message>
    <message>
        <source>same district</source>
        <translation>같은 자치구</translation>
    </message>
    <message>
        <source>same e-mail domain</source>
        <translation>같은 이메일 도메인</translation>
    </message>
    <message>
        <source>same phone</source>
        <translation>같은 전화번호</translation>
    </message>
    <message>
        <source>[previously dismissed for {what}: {reason}; something new matches since]</source>
        <translation>[이전에 {what} 사유로 해제됨: {reason}; 이후 새로 일치하는 항목이 있음]</translation>
    </message>
    <message>
        <source>Assign automatically</source>
        <translation>자동 배정</translation>
    </message>
    <message>
        <source>all tracks</source>
        <translation>모든 지원유형</translation>
    </message>
    <message>
        <source>Applications of {round}, {scope}: each gets the number of evaluators below, the least loaded first (each evaluator&apos;s load within one of the others&apos;), never one with a declared conflict. Evaluators already assigned stay.</source>
        <translation>{round}, {scope}의 신청서: 각 신청서에 아래 수만큼 평가위원을 배정합니다. 배정이 적은 위원부터(위원 간 배정 수 차이는 1 이내), 신고된 이해충돌이 있는 위원은 배정하지 않습니다. 이미 배정된 위원은 그대로 둡니다.</translation>
    </message>
    <message>
        <source>the current round</source>
        <translation>현재 차수</translation>
    </message>
    <message>
        <source>Evaluators per application</source>
        <translation>신청서당 평가위원 수</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>배정</translation>
    </message>
    <message>
        <source>Likely conflicts to confirm</source>
        <translation>확인할 이해충돌 의심</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>no</source>
        <translation>아니요</translation>
    </message>
    <message>
        <source>Confirm as a declared conflict</source>
        <translation>이해충돌로 신고</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>해제</translation>
    </message>
    <message>
        <source>Show dismissed</source>
        <translation>해제한 항목 보기</translation>
    </message>
    <message>
        <source>What matched</source>
        <translation>일치한 항목</translation>
    </message>
    <message>
        <source>Dismissed by</source>
        <translation>해제한 사람</translation>
    </message>
    <message>
        <source>On</source>
        <translation>일자</translation>
    </message>
    <message>
        <source>Dismissed likely conflicts</source>
        <translation>해제한 이해충돌 의심</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>해제 취소</translation>
    </message>
    <message>
        <source>List it as a likely conflict again (asks why; kept in the audit trail)</source>
        <translation>이해충돌 의심으로 다시 표시합니다 (사유를 묻고 감사 기록에 남깁니다)</translation>
    </message>
    <message numerus="yes">
        <source>%n assignments added</source>
        <translation>
            <numerusform>배정 %n건 추가</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n applications considered</source>
        <translation>
            <numerusform>신청서 %n건 대상</numerusform>
        </translation>
    </message>
    <message>
        <source>{count} applications could not get {n} evaluators without a conflict: {which}</source>
        <translation>신청서 {count}건은 이해충돌 없이 평가위원 {n}명을 배정할 수 없었습니다: {which}</translation>
    </message>
    <message>
        <source>Confirm each likely conflict that is one (it becomes a declared conflict and the evaluator no longer holds the application), or dismiss it. Then assign again to give those applications another evaluator.</source>
        <translation>실제 이해충돌이면 신고하고(신고된 이해충돌이 되어 그 위원은 해당 신청서를 더 이상 맡지 않습니다), 아니면 해제하세요. 그런 다음 다시 배정하면 그 신청서에 다른 평가위원이 배정됩니다.</translation>
    </message>
    <message>
        <source>No likely conflicts.</source>
        <translation>이해충돌 의심 사례가 없습니다.</translation>
    </message>
    <message>
        <source>Declared a conflict of {evaluator} with {app}.</source>
        <translation>{evaluator}와(과) {app}의 이해충돌을 신고했습니다.</translation>
    </message>
    <message>
        <source>Dismiss a likely conflict</source>
        <translation>이해충돌 의심 해제</translation>
    </message>
    <message>
        <source>Why is {evaluator} with {app} not a conflict of interest? (kept with the dismissal and in the audit trail)</source>
        <translation>{evaluator}와(과) 신청 {app}이(가) 이해충돌이 아닌 이유는 무엇입니까? (해제 기록과 감사 기록에 남습니다)</translation>
    </message>
    <message>
        <source>Dismissed the likely conflict of {evaluator} with {app}.</source>
        <translation>{evaluator}와(과) 신청 {app}의 이해충돌 의심을 해제했습니다.</translation>
    </message>
    <message>
        <source>Restore a likely conflict</source>
        <translation>이해충돌 의심 해제 취소</translation>
    </message>
    <message>
        <source>Why should {evaluator} with {app} be listed as a likely conflict again? (kept in the audit trail)</source>
        <translation>{evaluator}와(과) 신청 {app}을(를) 이해충돌 의심으로 다시 표시하는 이유는 무엇입니까? (감사 기록에 남습니다)</translation>
    </message>
    <message>
        <source>{evaluator} with {app} is listed as a likely conflict again.</source>
        <translation>{evaluator}와(과) 신청 {app}을(를) 이해충돌 의심으로 다시 표시합니다.</translation>
    </message>
    <message>
        <source>(computed: {decision})</source>
        <translation>(산정 결과: {decision})</translation>
    </message>
    <message>
        <source>Ranked again at {time}; the decisions are recorded.</source>
        <translation>{time}에 다시 산정했습니다. 결정이 기록되었습니다.</translation>
    </message>
    <message>
        <source>Ranked again at {time}; nothing is stored (a what-if or provisional view).</source>
        <translation>{time}에 다시 산정했습니다. 가정 분석 또는 잠정 결과이므로 아무것도 저장하지 않았습니다.</translation>
    </message>
    <message>
        <source>What-if view: ranked by {method}, while the program&apos;s method is {program}. Nothing is stored; the decisions of record are unchanged.</source>
        <translation>가정 분석(what-if): 집계 방식 &apos;{method}&apos; 적용 결과입니다. 이 공모의 집계 방식은 &apos;{program}&apos;이며, 아무것도 저장되지 않고 공식 결정은 바뀌지 않습니다.</translation>
    </message>
    <message>
        <source>Method of record</source>
        <translation>공식 집계 방식</translation>
    </message>
    <message>
        <source>Make {method} the program&apos;s aggregation method?</source>
        <translation>{method}을(를) 공모의 집계 방식으로 정할까요?</translation>
    </message>
    <message>
        <source>The change is recorded in the audit trail. The ranking is then redone with it and its decisions are stored as the decisions of record.</source>
        <translation>변경 내용은 감사 기록에 남습니다. 이 방식으로 순위를 다시 산정하고, 그 결정을 공식 결정으로 저장합니다.</translation>
    </message>
    <message>
        <source>Changing the ranking method</source>
        <translation>집계 방식 변경 중</translation>
    </message>
    <message>
        <source>Quota {quota}: {selected} selected, {reserve} in reserve, {eligible} eligible.</source>
        <translation>선정 정원 {quota}: 선정 {selected}, 예비 {reserve}, 자격 충족 {eligible}.</translation>
    </message>
    <message>
        <source>Minimum score {min:g}.</source>
        <translation>최저 점수 {min:g}점.</translation>
    </message>
    <message>
        <source>Agreement between evaluators: {value:.2f} ({method}).</source>
        <translation>평가위원 간 일치도: {value:.2f} ({method}).</translation>
    </message>
    <message>
        <source>Provisional: some evaluations are not finalised yet.</source>
        <translation>잠정: 아직 확정되지 않은 평가가 있습니다.</translation>
    </message>
    <message>
        <source>(hover here for the rules)</source>
        <translation>(규칙은 여기에 마우스를 올려 보세요)</translation>
    </message>
    <message>
        <source>Key {n}: {label} ({percent:g} % of the maximum)</source>
        <extracomment>criterion -&gt; (level, points, comment)</extracomment>
        <translation>{n} 키: {label} (배점의 {percent:g} %)</translation>
    </message>
    <message>
        <source> pts</source>
        <translation>점</translation>
    </message>
    <message>
        <source>Type the points (0–{max:g}); Delete leaves it blank</source>
        <translation>점수를 입력하세요 (0–{max:g}). Delete 키로 비웁니다</translation>
    </message>
    <message>
        <source>max {points:g} pts</source>
        <translation>배점 {points:g}점</translation>
    </message>
    <message>
        <source>weight {w:g}</source>
        <translation>가중치 {w:g}</translation>
    </message>
    <message>
        <source>field check</source>
        <translation>현장 확인</translation>
    </message>
    <message>
        <source>Korean name</source>
        <translation>한글 이름</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>영문 이름</translation>
    </message>
    <message>
        <source>Rubric file</source>
        <translation>평가표 파일</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>선정 수</translation>
    </message>
    <message>
        <source>Budget (KRW)</source>
        <translation>예산 (원)</translation>
    </message>
    <message>
        <source>Minimum score</source>
        <translation>최저 점수</translation>
    </message>
    <message>
        <source>Intake opens</source>
        <translation>접수 시작</translation>
    </message>
    <message>
        <source>Intake closes</source>
        <translation>접수 마감</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>문제</translation>
    </message>
    <message>
        <source>New program</source>
        <translation>새 공모</translation>
    </message>
    <message>
        <source>From a program file</source>
        <translation>공모 파일에서</translation>
    </message>
    <message>
        <source>Guided form</source>
        <translation>안내 양식</translation>
    </message>
    <message>
        <source>A program file (TOML) describes the whole call: its tracks with their rubric files, quotas, reserves, budgets and minimum scores, its ranking settings, categories, intake fields and rounds (docs/programs.md). It is checked before anything is written.</source>
        <translation>공모 파일(TOML)은 공모 전체를 설명합니다: 지원유형과 평가표 파일, 선정 수, 예비 수, 예산, 최저 점수, 순위 설정, 분야, 접수 항목, 차수(docs/programs.md). 아무것도 기록하기 전에 먼저 검사합니다.</translation>
    </message>
    <message>
        <source>Program file</source>
        <translation>공모 파일</translation>
    </message>
    <message>
        <source>Create the program</source>
        <translation>공모 만들기</translation>
    </message>
    <message>
        <source>Program file (*.toml);;All files (*)</source>
        <translation>공모 파일 (*.toml);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Program {program} created.</source>
        <translation>공모 {program}을(를) 만들었습니다.</translation>
    </message>
    <message>
        <source>e.g. gangbuk-2014</source>
        <translation>예: gangbuk-2014</translation>
    </message>
    <message>
        <source>e.g. 2014 마을공동체 공모</source>
        <translation>예: 2014 마을공동체 공모</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>선택 항목</translation>
    </message>
    <message>
        <source>e.g. 강북구청 마을공동체팀</source>
        <translation>예: 강북구청 마을공동체팀</translation>
    </message>
    <message>
        <source>Organising office</source>
        <translation>주관 부서</translation>
    </message>
    <message>
        <source>Fixed rounds</source>
        <translation>정기 차수</translation>
    </message>
    <message>
        <source>Rolling intake (placed in rounds by submission date)</source>
        <translation>상시 접수 (접수일로 차수 배정)</translation>
    </message>
    <message>
        <source>Intake</source>
        <translation>접수 방식</translation>
    </message>
    <message>
        <source>Tracks</source>
        <translation>지원유형</translation>
    </message>
    <message>
        <source>Add track</source>
        <translation>지원유형 추가</translation>
    </message>
    <message>
        <source>Remove track</source>
        <translation>지원유형 삭제</translation>
    </message>
    <message>
        <source>Rubric file…</source>
        <translation>평가표 파일…</translation>
    </message>
    <message>
        <source>Rounds</source>
        <translation>차수</translation>
    </message>
    <message>
        <source>Rounds (none: one round, the whole program)</source>
        <translation>차수 (없으면 공모 전체가 한 차수)</translation>
    </message>
    <message>
        <source>Add round</source>
        <translation>차수 추가</translation>
    </message>
    <message>
        <source>Remove round</source>
        <translation>차수 삭제</translation>
    </message>
    <message>
        <source>where the program file is written (rubric paths are relative to it)</source>
        <translation>공모 파일을 저장할 위치 (평가표 경로는 이 파일 기준 상대 경로)</translation>
    </message>
    <message>
        <source>Program file to write</source>
        <translation>저장할 공모 파일</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>다른 이름으로 저장…</translation>
    </message>
    <message>
        <source>Write the file and create the program</source>
        <translation>파일을 저장하고 공모 만들기</translation>
    </message>
    <message>
        <source>Rubric file (*.toml);;All files (*)</source>
        <translation>평가표 파일 (*.toml);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Program file (*.toml)</source>
        <translation>공모 파일 (*.toml)</translation>
    </message>
    <message>
        <source>Choose where to save the file (Save as…) to create it.</source>
        <translation>공모를 만들려면 파일을 저장할 위치를 고르세요(다른 이름으로 저장…).</translation>
    </message>
    <message>
        <source>{name} exists already. Replace it?</source>
        <translation>{name} 파일이 이미 있습니다. 바꿀까요?</translation>
    </message>
    <message numerus="yes">
        <source>{name} ({code}): %n tracks, {rounds} rounds; no problems.</source>
        <translation>
            <numerusform>{name} ({code}): 지원유형 %n개, 차수 {rounds}개. 문제 없음.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problems; nothing was written.</source>
        <translation>
            <numerusform>문제 %n건. 아무것도 기록하지 않았습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>의견</translation>
    </message>
    <message>
        <source>Evidence seen on the visit, or why this level</source>
        <translation>현장에서 확인한 근거나 이 등급을 준 이유</translation>
    </message>
    <message>
        <source>Visit notes</source>
        <translation>방문 메모</translation>
    </message>
    <message>
        <source>Fill in the current date and time</source>
        <translation>지금 날짜와 시각을 입력</translation>
    </message>
    <message>
        <source>Edit comment</source>
        <translation>의견 수정</translation>
    </message>
    <message>
        <source>← Back</source>
        <translation>← 목록</translation>
    </message>
    <message>
        <source>Back to the list (Alt+Left). Everything is already saved.</source>
        <translation>목록으로 돌아가기 (Alt+←). 모든 내용은 이미 저장되었습니다.</translation>
    </message>
    <message>
        <source>Visited at</source>
        <translation>방문 일시</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>기록 없음</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>지금</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>참석자</translation>
    </message>
    <message>
        <source>Who was there (names or roles)</source>
        <translation>참석한 사람 (이름 또는 역할)</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>확인 사항</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>메모</translation>
    </message>
    <message>
        <source>Edit the visit time</source>
        <translation>방문 일시 수정</translation>
    </message>
    <message>
        <source>Edit the attendees</source>
        <translation>참석자 수정</translation>
    </message>
    <message>
        <source>Edit the visit notes</source>
        <translation>방문 메모 수정</translation>
    </message>
    <message>
        <source>Tick {item}</source>
        <translation>{item} 확인 표시</translation>
    </message>
    <message>
        <source>Untick {item}</source>
        <translation>{item} 확인 해제</translation>
    </message>
    <message>
        <source>Scores — {rubric} (version {version})</source>
        <translation>채점 — {rubric} (버전 {version})</translation>
    </message>
    <message>
        <source>Keys: 1–5 pick a level (1 = {top}), 0 clears, Tab moves on, Ctrl+Z undoes, Ctrl+Enter finalises. Every change is saved at once.</source>
        <translation>키: 1–5 등급 선택 (1 = {top}), 0 지우기, Tab 다음 항목, Ctrl+Z 실행 취소, Ctrl+Enter 확정. 모든 변경은 바로 저장됩니다.</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>사진</translation>
    </message>
    <message>
        <source>Attach photos…</source>
        <translation>사진 첨부…</translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation>사진 삭제</translation>
    </message>
    <message>
        <source>Abstain…</source>
        <translation>기권…</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>다시 열기…</translation>
    </message>
    <message>
        <source>Finalise…</source>
        <translation>확정…</translation>
    </message>
    <message>
        <source>Lock this evaluation (Ctrl+Enter)</source>
        <translation>이 평가를 확정해 잠급니다 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Finalised {when}</source>
        <translation>확정됨 {when}</translation>
    </message>
    <message>
        <source>Withdraw abstention…</source>
        <translation>기권 철회…</translation>
    </message>
    <message>
        <source>You abstained from this evaluation: {reason}. It will not count in the ranking; you can still finalise it.</source>
        <translation>이 평가에서 기권했습니다: {reason}. 순위에는 반영되지 않으며, 확정은 할 수 있습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Total so far: {total:.1f} / 100 (%n criteria to score)</source>
        <translation>
            <numerusform>현재 총점: {total:.1f} / 100 (채점할 항목 %n개)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n required items are missing; complete them before finalising:</source>
        <translation>
            <numerusform>필수 항목 %n개가 비어 있습니다. 확정하기 전에 채우세요:</numerusform>
        </translation>
    </message>
    <message>
        <source>Total: {total:.1f} / 100</source>
        <translation>총점: {total:.1f} / 100</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>채점 전</translation>
    </message>
    <message>
        <source>{criterion}: {level}</source>
        <translation>{criterion}: {level}</translation>
    </message>
    <message>
        <source>Keys 1–{n} pick a level, 0 clears, arrows move between levels</source>
        <translation>1–{n} 키로 등급 선택, 0은 지우기, 화살표로 등급 이동</translation>
    </message>
    <message>
        <source>Points for {criterion} (0–{max:g})</source>
        <translation>{criterion} 점수 (0–{max:g})</translation>
    </message>
    <message>
        <source>Comment on {criterion}</source>
        <translation>{criterion} 의견</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>저장하는 중…</translation>
    </message>
    <message>
        <source>All changes saved {time}</source>
        <translation>모두 저장됨 {time}</translation>
    </message>
    <message>
        <source>blank</source>
        <translation>빈칸</translation>
    </message>
    <message>
        <source>Score {criterion}: {value}</source>
        <translation>채점 {criterion}: {value}</translation>
    </message>
    <message>
        <source>Withdraw abstention</source>
        <translation>기권 철회</translation>
    </message>
    <message>
        <source>Withdraw your abstention and score this application again?</source>
        <translation>기권을 철회하고 이 신청서를 다시 채점할까요?</translation>
    </message>
    <message>
        <source>Abstain</source>
        <translation>기권</translation>
    </message>
    <message>
        <source>Why do you abstain from evaluating this application? (The reason goes in the audit trail.)</source>
        <translation>이 신청서 평가에서 기권하는 이유는 무엇인가요? (사유는 변경 이력에 남습니다.)</translation>
    </message>
    <message>
        <source>Finalise</source>
        <translation>확정</translation>
    </message>
    <message>
        <source>After finalising, the evaluation is locked; reopening it needs a reason that goes in the audit trail.</source>
        <translation>확정하면 평가가 잠깁니다. 다시 열려면 변경 이력에 남는 사유가 필요합니다.</translation>
    </message>
    <message>
        <source>Optional criteria left blank: {names}</source>
        <translation>비워 둔 선택 항목: {names}</translation>
    </message>
    <message>
        <source>You abstained: this evaluation will not count in the ranking.</source>
        <translation>기권했으므로 이 평가는 순위에 반영되지 않습니다.</translation>
    </message>
    <message>
        <source>Finalise the evaluation of {app}?</source>
        <translation>{app}의 평가를 확정할까요?</translation>
    </message>
    <message>
        <source>Evaluation of {app} finalised.</source>
        <translation>{app}의 평가를 확정했습니다.</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>다시 열기</translation>
    </message>
    <message>
        <source>Why must this finalised evaluation change? (The reason goes in the audit trail.)</source>
        <translation>확정된 평가를 바꿔야 하는 이유는 무엇인가요? (사유는 변경 이력에 남습니다.)</translation>
    </message>
    <message>
        <source>Attach photos</source>
        <translation>사진 첨부</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.heic *.webp);;All files (*)</source>
        <translation>이미지 (*.jpg *.jpeg *.png *.heic *.webp);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Remove {name} from this evaluation?</source>
        <translation>이 평가에서 {name}을(를) 삭제할까요?</translation>
    </message>
    <message>
        <source>Remove {name} from this visit?</source>
        <translation>이 점검에서 {name}을(를) 삭제할까요?</translation>
    </message>
    <message>
        <source>Your visits</source>
        <translation>내 방문 일정</translation>
    </message>
    <message>
        <source>Search your visits (Ctrl+F)</source>
        <translation>내 방문 검색 (Ctrl+F)</translation>
    </message>
    <message>
        <source>Visit status</source>
        <translation>방문 상태</translation>
    </message>
    <message>
        <source>Enter or double-click opens the visit and scoring form.</source>
        <translation>Enter 키나 두 번 클릭으로 방문·채점 화면을 엽니다.</translation>
    </message>
    <message>
        <source>Required action {n}</source>
        <translation>요구 조치 {n}</translation>
    </message>
    <message>
        <source>What must be done</source>
        <translation>해야 할 일</translation>
    </message>
    <message>
        <source>due YYYY-MM-DD</source>
        <translation>기한 YYYY-MM-DD</translation>
    </message>
    <message>
        <source>Due date of action {n}</source>
        <translation>조치 {n} 기한</translation>
    </message>
    <message>
        <source>Done</source>
        <comment>action</comment>
        <translation>이행</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Remove action {n}</source>
        <translation>조치 {n} 삭제</translation>
    </message>
    <message>
        <source>Back to the list (Alt+Left). Unsaved edits are saved first.</source>
        <translation>목록으로 돌아갑니다(Alt+←). 저장하지 않은 내용은 먼저 저장됩니다.</translation>
    </message>
    <message>
        <source>{application} · {group} — visit {n} ({plan}), due {due}</source>
        <translation>{application} · {group} — {n}차 방문({plan}), 예정일 {due}</translation>
    </message>
    <message>
        <source>Earlier visits of this project</source>
        <translation>이 사업의 이전 방문</translation>
    </message>
    <message>
        <source>Visit {n} ({state}): {findings}</source>
        <translation>{n}차 방문({state}): {findings}</translation>
    </message>
    <message>
        <source>Open actions: {actions}</source>
        <translation>미이행 조치: {actions}</translation>
    </message>
    <message>
        <source>YYYY-MM-DD HH:MM</source>
        <translation>YYYY-MM-DD HH:MM</translation>
    </message>
    <message>
        <source>Visit date and time</source>
        <translation>방문 일시</translation>
    </message>
    <message>
        <source>Set the visit time to now</source>
        <translation>방문 일시를 지금으로</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>일시</translation>
    </message>
    <message>
        <source>e.g. the representative and 4 members</source>
        <translation>예) 대표 외 4명</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>평가 항목</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>확인 내용</translation>
    </message>
    <message>
        <source>Required actions</source>
        <translation>요구 조치</translation>
    </message>
    <message>
        <source>Add an action</source>
        <translation>조치 추가</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>저장 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>아직 저장 안 됨</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>저장됨</translation>
    </message>
    <message>
        <source>Still needed to finalise: {items}</source>
        <translation>확정하려면 필요한 항목: {items}</translation>
    </message>
    <message>
        <source>Save the visit</source>
        <translation>방문 저장</translation>
    </message>
    <message>
        <source>The visit time must read like 2012-10-02 10:00, and each due date like 2012-10-31.</source>
        <translation>방문 일시는 2012-10-02 10:00, 기한은 2012-10-31 형식으로 입력하세요.</translation>
    </message>
    <message>
        <source>Finalise the visit</source>
        <translation>방문 확정</translation>
    </message>
    <message>
        <source>The visit cannot be finalised yet. Still needed:</source>
        <translation>아직 방문을 확정할 수 없습니다. 필요한 항목:</translation>
    </message>
    <message>
        <source>Finalise visit {n} of {application}? It is then kept as it is and goes to the office in your next package.</source>
        <translation>{application}의 {n}차 방문을 확정할까요? 확정하면 더는 바꿀 수 없고, 다음 결과 패키지로 사무국에 전달됩니다.</translation>
    </message>
    <message>
        <source>Your monitoring visits</source>
        <translation>나의 사후 모니터링 방문</translation>
    </message>
    <message>
        <source>Enter or double-click opens the monitoring visit form.</source>
        <translation>Enter 또는 두 번 클릭하면 모니터링 방문 양식이 열립니다.</translation>
    </message>
    <message>
        <source>Open visit</source>
        <translation>방문 열기</translation>
    </message>
    <message>
        <source>Choose who you are in Settings to see your visits.</source>
        <translation>방문 일정을 보려면 [설정]에서 본인(평가위원)을 선택하세요.</translation>
    </message>
    <message numerus="yes">
        <source>%n monitoring visits · {done} finalised</source>
        <translation>
            <numerusform>모니터링 방문 %n건 · 확정 {done}건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n visits · {started} in progress · {done} finalised</source>
        <translation>
            <numerusform>방문 %n건 · 평가 중 {started}건 · 확정 {done}건</numerusform>
        </translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Larger text helps on a laptop in sunlight.</source>
        <translation>햇빛 아래 노트북에서는 글자를 크게 하면 잘 보입니다.</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>글자 크기</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>자료 폴더</translation>
    </message>
    <message>
        <source>{language} (this session, from --lang); saved: {saved}</source>
        <translation>{language} (이번 실행만, --lang 옵션); 저장된 언어: {saved}</translation>
    </message>
    <message>
        <source>Start in {language} from now on</source>
        <translation>앞으로 {language}로 시작</translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation>데이터 폴더 고르기</translation>
    </message>
    <message>
        <source>New databases, backups and exports are suggested in this folder.</source>
        <translation>새 데이터베이스, 백업, 출력 파일을 이 폴더에 저장하도록 제안합니다.</translation>
    </message>
    <message>
        <source>Who is working</source>
        <translation>작업자</translation>
    </message>
    <message>
        <source>Choose or add the person working with “Who is working?” at the top of the window.</source>
        <translation>창 위쪽의 “누가 작업하나요?”에서 작업자를 고르거나 추가하십시오.</translation>
    </message>
    <message>
        <source>(not an evaluator)</source>
        <translation>(평가위원 아님)</translation>
    </message>
    <message>
        <source>I evaluate as</source>
        <translation>평가위원</translation>
    </message>
    <message>
        <source>This database&apos;s key: {fp}</source>
        <translation>이 데이터베이스의 키: {fp}</translation>
    </message>
    <message>
        <source>No keys yet (they are made with the field kits).</source>
        <translation>아직 키가 없습니다 (현장 키트를 만들 때 생깁니다).</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>키</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>Encrypted database</source>
        <translation>암호화된 데이터베이스</translation>
    </message>
    <message>
        <source>{name} is encrypted (or is not a database at all). Its passphrase:</source>
        <translation>{name}은(는) 암호화되어 있습니다(또는 데이터베이스가 아닙니다). 암호:</translation>
    </message>
    <message>
        <source>column {column}</source>
        <translation>열 {column}</translation>
    </message>
    <message>
        <source>The database is in use by another program.</source>
        <translation>다른 프로그램이 데이터베이스를 사용하고 있습니다.</translation>
    </message>
    <message>
        <source>This database was written by a newer version of Maeul Evaluator.</source>
        <translation>이 데이터베이스는 더 새로운 버전의 마을 평가 도우미로 만들어졌습니다.</translation>
    </message>
    <message>
        <source>This file is not a Maeul Evaluator database.</source>
        <translation>이 파일은 마을 평가 도우미 데이터베이스가 아닙니다.</translation>
    </message>
    <message>
        <source>The database cannot be written.</source>
        <translation>데이터베이스에 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>The database undid the whole change after an error; nothing was saved.</source>
        <translation>오류가 나서 데이터베이스가 변경 전체를 되돌렸습니다. 아무것도 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>The database cannot be opened.</source>
        <translation>데이터베이스를 열 수 없습니다.</translation>
    </message>
    <message>
        <source>The database could not be upgraded.</source>
        <translation>데이터베이스를 업그레이드하지 못했습니다.</translation>
    </message>
    <message>
        <source>A database problem stopped the work.</source>
        <translation>데이터베이스 문제로 작업이 중단되었습니다.</translation>
    </message>
    <message>
        <source>This evaluator has a declared conflict of interest with this application.</source>
        <translation>이 평가위원은 이 신청서에 대해 이해충돌을 신고했습니다.</translation>
    </message>
    <message>
        <source>This evaluation is finalised and locked.</source>
        <translation>이 평가는 확정되어 잠겨 있습니다.</translation>
    </message>
    <message>
        <source>Someone else changed this in the meantime.</source>
        <translation>그 사이에 다른 곳에서 이 내용을 바꾸었습니다.</translation>
    </message>
    <message>
        <source>This cannot be done in this database.</source>
        <translation>이 데이터베이스에서는 할 수 없는 작업입니다.</translation>
    </message>
    <message>
        <source>The input has problems; nothing was changed.</source>
        <translation>입력에 문제가 있습니다. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>What was asked for does not exist.</source>
        <translation>찾는 항목이 없습니다.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소되었습니다.</translation>
    </message>
    <message>
        <source>The work could not be done.</source>
        <translation>작업을 마치지 못했습니다.</translation>
    </message>
    <message>
        <source>Pick the date from a calendar</source>
        <translation>달력에서 날짜 고르기</translation>
    </message>
    <message>
        <source>not a date (use 2013-05-10)</source>
        <translation>날짜가 아닙니다 (예: 2013-05-10)</translation>
    </message>
    <message>
        <source>no window</source>
        <translation>기간 없음</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>한도 없음</translation>
    </message>
    <message>
        <source>{amount} won</source>
        <translation>{amount}원</translation>
    </message>
    <message>
        <source>Sign off {round}</source>
        <translation>{round} 확정 서명</translation>
    </message>
    <message>
        <source>The committee&apos;s sign-off ranks the round once more with the program&apos;s method, stores its decisions of record and freezes them: later rankings, imports, merges and setting changes never change them. The round is closed, and the audit trail is signed with the office key.</source>
        <translation>위원회의 확정 서명은 공모의 방식으로 이 차수의 순위를 한 번 더 매기고, 공식 결정을 저장해 고정합니다. 이후의 순위 산정, 가져오기, 병합, 설정 변경은 이 결정을 바꾸지 않습니다. 차수는 마감되고, 감사 기록에 사무국 키로 서명합니다.</translation>
    </message>
    <message>
        <source>e.g. the committee chair&apos;s name</source>
        <translation>예: 위원장 이름</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>서명자</translation>
    </message>
    <message>
        <source>optional, e.g. the meeting&apos;s minutes number</source>
        <translation>선택, 예: 회의록 번호</translation>
    </message>
    <message>
        <source>Rubric</source>
        <translation>평가표</translation>
    </message>
    <message>
        <source>Eligibility and support rules</source>
        <translation>자격 요건과 지원금 규칙</translation>
    </message>
    <message>
        <source>Intake window</source>
        <translation>접수 기간</translation>
    </message>
    <message>
        <source>Quota and budget per track</source>
        <translation>지원유형별 선정 수와 예산</translation>
    </message>
    <message>
        <source>Open intake</source>
        <translation>접수 열기</translation>
    </message>
    <message>
        <source>Close intake</source>
        <translation>접수 마감</translation>
    </message>
    <message>
        <source>Sign off…</source>
        <translation>확정 서명…</translation>
    </message>
    <message>
        <source>Rolling intake</source>
        <translation>상시 접수</translation>
    </message>
    <message>
        <source>ranked by {method}</source>
        <translation>순위 방식: {method}</translation>
    </message>
    <message>
        <source>{round} was signed off on {when} by {by}. Its decisions are frozen: later rankings, imports and merges do not change them (an override needs its written reason).</source>
        <translation>{round}은(는) {when}에 {by}이(가) 확정 서명했습니다. 결정은 고정되어 이후의 순위 산정, 가져오기, 병합으로 바뀌지 않습니다 (변경하려면 서면 사유와 함께 재정해야 합니다).</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>메모: {note}</translation>
    </message>
    <message>
        <source>{round}: intake open; not signed off.</source>
        <translation>{round}: 접수 중, 확정 서명 전.</translation>
    </message>
    <message>
        <source>{round}: intake closed; not signed off.</source>
        <translation>{round}: 접수 마감, 확정 서명 전.</translation>
    </message>
    <message>
        <source>{round}: {status}.</source>
        <translation>{round}: {status}.</translation>
    </message>
    <message>
        <source>Sign off {round} as {by}? Its decisions of record are then frozen.</source>
        <translation>{by}의 이름으로 {round}을(를) 확정 서명할까요? 그러면 공식 결정이 고정됩니다.</translation>
    </message>
    <message>
        <source>This cannot be undone; a later change to one of its decisions is an override with a written reason.</source>
        <translation>되돌릴 수 없습니다. 이후 결정을 바꾸려면 서면 사유와 함께 재정해야 합니다.</translation>
    </message>
    <message>
        <source>{round} is signed off; its decisions are frozen.</source>
        <translation>{round} 확정 서명 완료. 결정이 고정되었습니다.</translation>
    </message>
    <message>
        <source>Signing off {round}</source>
        <translation>{round} 확정 서명 중</translation>
    </message>
    <message>
        <source>open</source>
        <translation>접수 중</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>마감</translation>
    </message>
    <message>
        <source>signed off</source>
        <translation>서명 완료</translation>
    </message>
    <message>
        <source>{round} ({status})</source>
        <translation>{round} ({status})</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>공모</translation>
    </message>
    <message>
        <source>Program shown</source>
        <translation>표시 중인 공모</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>차수</translation>
    </message>
    <message>
        <source>Round shown</source>
        <translation>표시 중인 차수</translation>
    </message>
</context>
</TS>
