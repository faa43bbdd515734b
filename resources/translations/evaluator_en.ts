<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message>
        <source>Score distribution</source>
        <translation>Score distribution</translation>
    </message>
    <message>
        <source>minimum</source>
        <translation>minimum</translation>
    </message>
    <message>
        <source>cut line</source>
        <translation>cut line</translation>
    </message>
    <message numerus="yes">
        <source>%n applications scored</source>
        <translation>
            <numerusform>%n application scored</numerusform>
            <numerusform>%n applications scored</numerusform>
        </translation>
    </message>
    <message>
        <source>minimum score {score:g}</source>
        <translation>minimum score {score:g}</translation>
    </message>
    <message>
        <source>{cut_line} at {score:.1f}</source>
        <translation>{cut_line} at {score:.1f}</translation>
    </message>
    <message>
        <source>Per band: {bands}.</source>
        <translation>Per band: {bands}.</translation>
    </message>
    <message>
        <source>Evaluator leniency (points vs. co-evaluators)</source>
        <translation>Evaluator leniency (points vs. co-evaluators)</translation>
    </message>
    <message>
        <source>Points above (+) or below (−) co-evaluators on shared applications: {items}.</source>
        <translation>Points above (+) or below (−) co-evaluators on shared applications: {items}.</translation>
    </message>
    <message>
        <source>Not enough shared applications yet</source>
        <translation>Not enough shared applications yet</translation>
    </message>
    <message>
        <source>A reason is required; nothing was changed.</source>
        <translation>A reason is required; nothing was changed.</translation>
    </message>
    <message>
        <source>Encrypt the field database with a passphrase (recommended: a lost laptop then shows nothing)</source>
        <translation>Encrypt the field database with a passphrase (recommended: a lost laptop then shows nothing)</translation>
    </message>
    <message>
        <source>Database passphrase</source>
        <translation>Database passphrase</translation>
    </message>
    <message>
        <source>Protect the field database</source>
        <translation>Protect the field database</translation>
    </message>
    <message>
        <source>{name} will hold applicants&apos; data on this laptop. With a passphrase, the file is encrypted and useless to whoever finds a lost laptop or USB stick; the app asks for the passphrase when it opens the database. At least {n} characters.</source>
        <translation>{name} will hold applicants&apos; data on this laptop. With a passphrase, the file is encrypted and useless to whoever finds a lost laptop or USB stick; the app asks for the passphrase when it opens the database. At least {n} characters.</translation>
    </message>
    <message>
        <source>Connect to server</source>
        <translation>Connect to server</translation>
    </message>
    <message>
        <source>The office database on a PostgreSQL server. The password is not saved: Open recent remembers the connection and asks for the password again.</source>
        <translation>The office database on a PostgreSQL server. The password is not saved: Open recent remembers the connection and asks for the password again.</translation>
    </message>
    <message>
        <source>e.g. db.office.local</source>
        <translation>e.g. db.office.local</translation>
    </message>
    <message>
        <source>leave empty if the server needs none</source>
        <translation>leave empty if the server needs none</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connect</translation>
    </message>
    <message>
        <source>Correct what the message above names, then try again; nothing was changed.</source>
        <translation>Correct what the message above names, then try again; nothing was changed.</translation>
    </message>
    <message>
        <source>Close the other program that uses this database (or wait for it to finish), then try again.</source>
        <translation>Close the other program that uses this database (or wait for it to finish), then try again.</translation>
    </message>
    <message>
        <source>Install the newer version of Maeul Evaluator that wrote this database.</source>
        <translation>Install the newer version of Maeul Evaluator that wrote this database.</translation>
    </message>
    <message>
        <source>Choose a Maeul Evaluator database file (.sqlite3).</source>
        <translation>Choose a Maeul Evaluator database file (.sqlite3).</translation>
    </message>
    <message>
        <source>Free some disk space or move the database to a folder you can write to.</source>
        <translation>Free some disk space or move the database to a folder you can write to.</translation>
    </message>
    <message>
        <source>Check that the file or the server exists and can be reached, then open it again from the File menu.</source>
        <translation>Check that the file or the server exists and can be reached, then open it again from the File menu.</translation>
    </message>
    <message>
        <source>The original database is untouched and a backup sits beside it. Send the log file to your coordinator.</source>
        <translation>The original database is untouched and a backup sits beside it. Send the log file to your coordinator.</translation>
    </message>
    <message>
        <source>Check the database and open it again from the File menu.</source>
        <translation>Check the database and open it again from the File menu.</translation>
    </message>
    <message>
        <source>Choose another evaluator for this application.</source>
        <translation>Choose another evaluator for this application.</translation>
    </message>
    <message>
        <source>Reopen the evaluation (with a reason) before changing it.</source>
        <translation>Reopen the evaluation (with a reason) before changing it.</translation>
    </message>
    <message>
        <source>The screen now shows the latest values; check them and repeat your change.</source>
        <translation>The screen now shows the latest values; check them and repeat your change.</translation>
    </message>
    <message>
        <source>Open the right database: office work needs the office database, field work a field database.</source>
        <translation>Open the right database: office work needs the office database, field work a field database.</translation>
    </message>
    <message>
        <source>Correct the items listed and try again; nothing was changed.</source>
        <translation>Correct the items listed and try again; nothing was changed.</translation>
    </message>
    <message>
        <source>Refresh the screen; the item may have been changed or removed.</source>
        <translation>Refresh the screen; the item may have been changed or removed.</translation>
    </message>
    <message>
        <source>Nothing was written. Start it again when you are ready.</source>
        <translation>Nothing was written. Start it again when you are ready.</translation>
    </message>
    <message>
        <source>Check the input and try again.</source>
        <translation>Check the input and try again.</translation>
    </message>
    <message>
        <source>Check that the file or folder exists and that you may read and write it.</source>
        <translation>Check that the file or folder exists and that you may read and write it.</translation>
    </message>
    <message>
        <source>This is a bug in Maeul Evaluator. Work saved so far is safe. Please send the log file to your coordinator: {path}</source>
        <translation>This is a bug in Maeul Evaluator. Work saved so far is safe. Please send the log file to your coordinator: {path}</translation>
    </message>
    <message>
        <source>This database uses office key {fingerprint}, but the key folder {folder} holds no key file for it; choose the key folder of this office, or share a key on purpose with &apos;evaluator keys use FILE&apos;.</source>
        <translation>This database uses office key {fingerprint}, but the key folder {folder} holds no key file for it; choose the key folder of this office, or share a key on purpose with &apos;evaluator keys use FILE&apos;.</translation>
    </message>
    <message>
        <source>The file could not be used: {error}</source>
        <translation>The file could not be used: {error}</translation>
    </message>
    <message>
        <source>Something went wrong that the program did not expect.</source>
        <translation>Something went wrong that the program did not expect.</translation>
    </message>
    <message>
        <source>Maeul Evaluator</source>
        <translation>Maeul Evaluator</translation>
    </message>
    <message>
        <source>What to do: {advice}</source>
        <translation>What to do: {advice}</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Once more</source>
        <translation>Once more</translation>
    </message>
    <message>
        <source>At least {n} characters.</source>
        <translation>At least {n} characters.</translation>
    </message>
    <message>
        <source>Type the same passphrase twice.</source>
        <translation>Type the same passphrase twice.</translation>
    </message>
    <message>
        <source>Office key</source>
        <translation>Office key</translation>
    </message>
    <message>
        <source>Passphrase of the office key:</source>
        <translation>Passphrase of the office key:</translation>
    </message>
    <message>
        <source>The office needs a key to sign kits and open result packages. Choose its passphrase and keep it safe: without it, result packages cannot be opened.</source>
        <translation>The office needs a key to sign kits and open result packages. Choose its passphrase and keep it safe: without it, result packages cannot be opened.</translation>
    </message>
    <message>
        <source>Your key</source>
        <translation>Your key</translation>
    </message>
    <message>
        <source>Passphrase of your key (it signs your result package):</source>
        <translation>Passphrase of your key (it signs your result package):</translation>
    </message>
    <message>
        <source>Your result package is signed with your own key, made now. Choose its passphrase; you need it each time you hand back.</source>
        <translation>Your result package is signed with your own key, made now. Choose its passphrase; you need it each time you hand back.</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>Eligible</translation>
    </message>
    <message>
        <source>Ineligible</source>
        <translation>Ineligible</translation>
    </message>
    <message>
        <source>Selected</source>
        <translation>Selected</translation>
    </message>
    <message>
        <source>Reserve</source>
        <translation>Reserve</translation>
    </message>
    <message>
        <source>Not selected</source>
        <translation>Not selected</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>Abstained</source>
        <translation>Abstained</translation>
    </message>
    <message>
        <source>Not visited</source>
        <translation>Not visited</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Finalised</source>
        <translation>Finalised</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>Recused</source>
        <translation>Recused</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>Incomplete</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>Personal</source>
        <translation>Personal</translation>
    </message>
    <message>
        <source>Professional</source>
        <translation>Professional</translation>
    </message>
    <message>
        <source>Financial</source>
        <translation>Financial</translation>
    </message>
    <message>
        <source>Institutional</source>
        <translation>Institutional</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Disagreement</source>
        <translation>Disagreement</translation>
    </message>
    <message>
        <source>Incomplete evaluation</source>
        <translation>Incomplete evaluation</translation>
    </message>
    <message>
        <source>No evaluations</source>
        <translation>No evaluations</translation>
    </message>
    <message>
        <source>Near the cut line</source>
        <translation>Near the cut line</translation>
    </message>
    <message>
        <source>Raw score used</source>
        <translation>Raw score used</translation>
    </message>
    <message>
        <source>Provisional</source>
        <translation>Provisional</translation>
    </message>
    <message>
        <source>Overridden</source>
        <translation>Overridden</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>Tie</translation>
    </message>
    <message>
        <source>Recusal</source>
        <translation>Recusal</translation>
    </message>
    <message>
        <source>Abstention</source>
        <translation>Abstention</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Mean</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Median</translation>
    </message>
    <message>
        <source>Trimmed mean (drop highest and lowest)</source>
        <translation>Trimmed mean (drop highest and lowest)</translation>
    </message>
    <message>
        <source>Normalised (per-evaluator z-score)</source>
        <translation>Normalised (per-evaluator z-score)</translation>
    </message>
    <message>
        <source>This database has no program yet</source>
        <extracomment>how many times a wrong passphrase is asked again before the app gives up on that database the files ``evaluator-gui FILE`` (and the file manager, through the registered types) hands over</extracomment>
        <translation>This database has no program yet</translation>
    </message>
    <message>
        <source>Create your office&apos;s program from its program file (or with the guided form), start with the demo program (48 fictional applications, 5 evaluators) to find your way around, or import a field kit you received from the office.</source>
        <translation>Create your office&apos;s program from its program file (or with the guided form), start with the demo program (48 fictional applications, 5 evaluators) to find your way around, or import a field kit you received from the office.</translation>
    </message>
    <message>
        <source>Create the demo program here</source>
        <translation>Create the demo program here</translation>
    </message>
    <message>
        <source>New program…</source>
        <translation>New program…</translation>
    </message>
    <message>
        <source>Import a field kit…</source>
        <translation>Import a field kit…</translation>
    </message>
    <message>
        <source>No database is open</source>
        <translation>No database is open</translation>
    </message>
    <message>
        <source>Open your database, create a new one, connect to the office server or import a field kit you received from the office.</source>
        <translation>Open your database, create a new one, connect to the office server or import a field kit you received from the office.</translation>
    </message>
    <message>
        <source>Open database…</source>
        <translation>Open database…</translation>
    </message>
    <message>
        <source>New database…</source>
        <translation>New database…</translation>
    </message>
    <message>
        <source>Connect to server…</source>
        <translation>Connect to server…</translation>
    </message>
    <message>
        <source>Open the demo database</source>
        <translation>Open the demo database</translation>
    </message>
    <message>
        <source>Recent databases</source>
        <translation>Recent databases</translation>
    </message>
    <message>
        <source>Open {database}</source>
        <translation>Open {database}</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <source>Screens</source>
        <translation>Screens</translation>
    </message>
    <message>
        <source>Field — {evaluator}</source>
        <translation>Field — {evaluator}</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>Office</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Today&apos;s visits</source>
        <translation>Today&apos;s visits</translation>
    </message>
    <message>
        <source>Monitoring visits</source>
        <translation>Monitoring visits</translation>
    </message>
    <message>
        <source>Hand back</source>
        <translation>Hand back</translation>
    </message>
    <message>
        <source>Applications</source>
        <translation>Applications</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Assignments and conflicts</source>
        <translation>Assignments and conflicts</translation>
    </message>
    <message>
        <source>Kits and packages</source>
        <translation>Kits and packages</translation>
    </message>
    <message>
        <source>Ranking</source>
        <translation>Ranking</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>Outputs</translation>
    </message>
    <message>
        <source>Awards and follow-up</source>
        <translation>Awards and follow-up</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>Program and rounds</source>
        <translation>Program and rounds</translation>
    </message>
    <message>
        <source>Showing program {program}.</source>
        <translation>Showing program {program}.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;New database…</source>
        <translation>&amp;New database…</translation>
    </message>
    <message>
        <source>&amp;Open database…</source>
        <translation>&amp;Open database…</translation>
    </message>
    <message>
        <source>&amp;Connect to server…</source>
        <translation>&amp;Connect to server…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Open &amp;recent</translation>
    </message>
    <message>
        <source>Open the &amp;demo database</source>
        <translation>Open the &amp;demo database</translation>
    </message>
    <message>
        <source>New &amp;program…</source>
        <translation>New &amp;program…</translation>
    </message>
    <message>
        <source>&amp;Back up database…</source>
        <translation>&amp;Back up database…</translation>
    </message>
    <message>
        <source>Re&amp;store from backup…</source>
        <translation>Re&amp;store from backup…</translation>
    </message>
    <message>
        <source>Make a &amp;field database from the demo</source>
        <translation>Make a &amp;field database from the demo</translation>
    </message>
    <message>
        <source>Import a field &amp;kit…</source>
        <translation>Import a field &amp;kit…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>Open the &amp;log folder</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;About</translation>
    </message>
    <message numerus="yes">
        <source>The passphrase did not open {name}. Try again (%n tries left):</source>
        <translation>
            <numerusform>The passphrase did not open {name}. Try again (%n try left):</numerusform>
            <numerusform>The passphrase did not open {name}. Try again (%n tries left):</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a file</source>
        <translation>Open a file</translation>
    </message>
    <message>
        <source>{name} is opened in the office database; open the office database first, then open the file again.</source>
        <translation>{name} is opened in the office database; open the office database first, then open the file again.</translation>
    </message>
    <message>
        <source>New database</source>
        <translation>New database</translation>
    </message>
    <message>
        <source>Database (*.sqlite3)</source>
        <translation>Database (*.sqlite3)</translation>
    </message>
    <message>
        <source>A file with this name exists already</source>
        <translation>A file with this name exists already</translation>
    </message>
    <message>
        <source>Open database</source>
        <translation>Open database</translation>
    </message>
    <message>
        <source>Database (*.sqlite3 *.sqlite *.db);;All files (*)</source>
        <translation>Database (*.sqlite3 *.sqlite *.db);;All files (*)</translation>
    </message>
    <message>
        <source>Creating the demo program</source>
        <translation>Creating the demo program</translation>
    </message>
    <message>
        <source>Backing up from the app works for SQLite databases; back up a PostgreSQL database with pg_dump.</source>
        <translation>Backing up from the app works for SQLite databases; back up a PostgreSQL database with pg_dump.</translation>
    </message>
    <message>
        <source>Back up database</source>
        <translation>Back up database</translation>
    </message>
    <message>
        <source>Backing up</source>
        <translation>Backing up</translation>
    </message>
    <message>
        <source>Backed up to {path}</source>
        <translation>Backed up to {path}</translation>
    </message>
    <message>
        <source>Restoring from the app works for SQLite databases only.</source>
        <translation>Restoring from the app works for SQLite databases only.</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <source>Replace the open database with the backup {source}?</source>
        <translation>Replace the open database with the backup {source}?</translation>
    </message>
    <message>
        <source>The open database is first saved beside it as {name}.before-restore-….</source>
        <translation>The open database is first saved beside it as {name}.before-restore-….</translation>
    </message>
    <message>
        <source>Restored from {source}; the previous database is at {safety}.</source>
        <translation>Restored from {source}; the previous database is at {safety}.</translation>
    </message>
    <message>
        <source>About Maeul Evaluator</source>
        <translation>About Maeul Evaluator</translation>
    </message>
    <message>
        <source>Maeul Evaluator {version} — offline field evaluation, ranking and selection for community grant programs.</source>
        <translation>Maeul Evaluator {version} — offline field evaluation, ranking and selection for community grant programs.</translation>
    </message>
    <message>
        <source>Fonts: Nanum Gothic (SIL Open Font License).</source>
        <translation>Fonts: Nanum Gothic (SIL Open Font License).</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>A job is still running. Cancel it and quit?</source>
        <translation>A job is still running. Cancel it and quit?</translation>
    </message>
    <message>
        <source>Application ID</source>
        <extracomment>(sort key for the core, descending) — the screen reloads the IDs from the core emitted whenever a page of rows arrived (tests and the detail pane use it)</extracomment>
        <translation>Application ID</translation>
    </message>
    <message>
        <source>Track</source>
        <translation>Track</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Project title</source>
        <translation>Project title</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>Group name</translation>
    </message>
    <message>
        <source>District</source>
        <translation>District</translation>
    </message>
    <message>
        <source>Requested (KRW)</source>
        <translation>Requested (KRW)</translation>
    </message>
    <message>
        <source>Submitted on</source>
        <translation>Submitted on</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>Evaluations</translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n assigned evaluators have finalised</source>
        <translation>
            <numerusform>{done} of %n assigned evaluator has finalised</numerusform>
            <numerusform>{done} of %n assigned evaluators have finalised</numerusform>
        </translation>
    </message>
    <message>
        <source>Evaluation of {app} by {evaluator}</source>
        <extracomment>the least room of the free-text columns, in Hangul characters (the title, stretched, takes what is left)</extracomment>
        <translation>Evaluation of {app} by {evaluator}</translation>
    </message>
    <message>
        <source>Search ID, title, group or district</source>
        <translation>Search ID, title, group or district</translation>
    </message>
    <message>
        <source>Search applications</source>
        <translation>Search applications</translation>
    </message>
    <message>
        <source>All tracks</source>
        <translation>All tracks</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>All districts</source>
        <translation>All districts</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>All evaluators</source>
        <translation>All evaluators</translation>
    </message>
    <message>
        <source>The selected application</source>
        <translation>The selected application</translation>
    </message>
    <message>
        <source>Show contact details (recorded in the access log)</source>
        <translation>Show contact details (recorded in the access log)</translation>
    </message>
    <message>
        <source>Evaluators</source>
        <translation>Evaluators</translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation>Coordinator</translation>
    </message>
    <message>
        <source>Committee chair</source>
        <translation>Committee chair</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>Viewer</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Evaluator</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>no role</translation>
    </message>
    <message>
        <source>Acting: {name} ({role}, database login)</source>
        <translation>Acting: {name} ({role}, database login)</translation>
    </message>
    <message>
        <source>Acting: {account} (operating-system account; nobody chosen)</source>
        <translation>Acting: {account} (operating-system account; nobody chosen)</translation>
    </message>
    <message>
        <source>Acting: {name} ({role}) · account {account}</source>
        <translation>Acting: {name} ({role}) · account {account}</translation>
    </message>
    <message>
        <source>Who is working?</source>
        <translation>Who is working?</translation>
    </message>
    <message>
        <source>Everything you change, view, print or export is recorded under your name (Korea&apos;s Personal Information Protection Act asks for it).</source>
        <translation>Everything you change, view, print or export is recorded under your name (Korea&apos;s Personal Information Protection Act asks for it).</translation>
    </message>
    <message>
        <source>Someone new…</source>
        <translation>Someone new…</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>Your name, as the records should show it</source>
        <translation>Your name, as the records should show it</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Conflict: {type}</source>
        <translation>Conflict: {type}</translation>
    </message>
    <message>
        <source>Planned visit</source>
        <translation>Planned visit</translation>
    </message>
    <message>
        <source>Open evaluation (type in a paper sheet)…</source>
        <translation>Open evaluation (type in a paper sheet)…</translation>
    </message>
    <message numerus="yes">
        <source>%n applications</source>
        <translation>
            <numerusform>%n application</numerusform>
            <numerusform>%n applications</numerusform>
        </translation>
    </message>
    <message>
        <source>(withheld: personal data)</source>
        <translation>(withheld: personal data)</translation>
    </message>
    <message>
        <source>Representative</source>
        <translation>Representative</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>Self-contribution (KRW)</source>
        <translation>Self-contribution (KRW)</translation>
    </message>
    <message>
        <source>Withdrawn because</source>
        <translation>Withdrawn because</translation>
    </message>
    <message>
        <source>Eligibility gates</source>
        <translation>Eligibility gates</translation>
    </message>
    <message>
        <source>Gate</source>
        <translation>Gate</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <source>Eligibility gates of the selected application</source>
        <translation>Eligibility gates of the selected application</translation>
    </message>
    <message>
        <source>Passed…</source>
        <translation>Passed…</translation>
    </message>
    <message>
        <source>Failed…</source>
        <translation>Failed…</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>Withdraw…</translation>
    </message>
    <message>
        <source>Withdrawn: {reason}</source>
        <translation>Withdrawn: {reason}</translation>
    </message>
    <message>
        <source>{gate} passed for {app}. A note (optional):</source>
        <translation>{gate} passed for {app}. A note (optional):</translation>
    </message>
    <message>
        <source>{gate} failed for {app}. A note (why):</source>
        <translation>{gate} failed for {app}. A note (why):</translation>
    </message>
    <message>
        <source>Eligibility gate</source>
        <translation>Eligibility gate</translation>
    </message>
    <message>
        <source>{app}: {gate} {state}.</source>
        <translation>{app}: {gate} {state}.</translation>
    </message>
    <message>
        <source>Withdraw {app}</source>
        <translation>Withdraw {app}</translation>
    </message>
    <message>
        <source>Why was {app} withdrawn? The application is kept, left out of the ranking and shown with this reason.</source>
        <translation>Why was {app} withdrawn? The application is kept, left out of the ranking and shown with this reason.</translation>
    </message>
    <message>
        <source>{app} withdrawn: {reason}</source>
        <translation>{app} withdrawn: {reason}</translation>
    </message>
    <message>
        <source>Not recorded (presumed passed)</source>
        <translation>Not recorded (presumed passed)</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automatic</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>manual</translation>
    </message>
    <message>
        <source>Passed ({kind})</source>
        <translation>Passed ({kind})</translation>
    </message>
    <message>
        <source>Failed ({kind})</source>
        <translation>Failed ({kind})</translation>
    </message>
    <message>
        <source>Evaluators of the selected application</source>
        <translation>Evaluators of the selected application</translation>
    </message>
    <message>
        <source>Applications (select one or several)</source>
        <translation>Applications (select one or several)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Assign or declare a conflict</source>
        <translation>Assign or declare a conflict</translation>
    </message>
    <message>
        <source>not planned (e.g. 2013-05-10)</source>
        <translation>not planned (e.g. 2013-05-10)</translation>
    </message>
    <message>
        <source>Assign to selected</source>
        <translation>Assign to selected</translation>
    </message>
    <message>
        <source>Conflict type</source>
        <translation>Conflict type</translation>
    </message>
    <message>
        <source>e.g. member of the applying group</source>
        <translation>e.g. member of the applying group</translation>
    </message>
    <message>
        <source>Declare conflict for selected</source>
        <translation>Declare conflict for selected</translation>
    </message>
    <message>
        <source>Assign automatically…</source>
        <translation>Assign automatically…</translation>
    </message>
    <message>
        <source>Give every application of the round shown the same number of evaluators, the least loaded first, never a declared conflict; likely conflicts are listed for you to confirm.</source>
        <translation>Give every application of the round shown the same number of evaluators, the least loaded first, never a declared conflict; likely conflicts are listed for you to confirm.</translation>
    </message>
    <message>
        <source>Load per evaluator</source>
        <translation>Load per evaluator</translation>
    </message>
    <message>
        <source>Code</source>
        <extracomment>how long the form waits after the last keystroke before it checks the file again</extracomment>
        <translation>Code</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>{code} {name} ({n} assigned)</source>
        <translation>{code} {name} ({n} assigned)</translation>
    </message>
    <message numerus="yes">
        <source>%n applications selected (Shift/Ctrl+click selects several)</source>
        <translation>
            <numerusform>%n application selected (Shift/Ctrl+click selects several)</numerusform>
            <numerusform>%n applications selected (Shift/Ctrl+click selects several)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Assign to %n selected</source>
        <translation>
            <numerusform>Assign to %n selected</numerusform>
            <numerusform>Assign to %n selected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Declare conflict for %n selected</source>
        <translation>
            <numerusform>Declare conflict for %n selected</numerusform>
            <numerusform>Declare conflict for %n selected</numerusform>
        </translation>
    </message>
    <message>
        <source>Evaluators of {app}</source>
        <translation>Evaluators of {app}</translation>
    </message>
    <message>
        <source>“{text}” is not a date; type it as 2013-05-10 or pick it from the calendar. Nothing was changed.</source>
        <translation>“{text}” is not a date; type it as 2013-05-10 or pick it from the calendar. Nothing was changed.</translation>
    </message>
    <message numerus="yes">
        <source>Assigned {evaluator} to %n applications.</source>
        <translation>
            <numerusform>Assigned {evaluator} to %n application.</numerusform>
            <numerusform>Assigned {evaluator} to %n applications.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Declared a conflict of {evaluator} with %n applications.</source>
        <translation>
            <numerusform>Declared a conflict of {evaluator} with %n application.</numerusform>
            <numerusform>Declared a conflict of {evaluator} with %n applications.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n applications could not be changed; the others were.</source>
        <translation>
            <numerusform>%n application could not be changed; the others were.</numerusform>
            <numerusform>%n applications could not be changed; the others were.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hand back your results</source>
        <translation>Hand back your results</translation>
    </message>
    <message>
        <source>The result package carries your scores, visit logs, photos and your audit trail, signed with your key and encrypted to the office. Give the file to the office (USB stick or e-mail). You can produce it again at any time; the newest one counts.</source>
        <translation>The result package carries your scores, visit logs, photos and your audit trail, signed with your key and encrypted to the office. Give the file to the office (USB stick or e-mail). You can produce it again at any time; the newest one counts.</translation>
    </message>
    <message>
        <source>Not finalised yet</source>
        <translation>Not finalised yet</translation>
    </message>
    <message>
        <source>Produce the result package…</source>
        <translation>Produce the result package…</translation>
    </message>
    <message>
        <source>Your key fingerprint: {fp}</source>
        <translation>Your key fingerprint: {fp}</translation>
    </message>
    <message>
        <source>Your key is made (with a passphrase you choose) when you produce the first package.</source>
        <translation>Your key is made (with a passphrase you choose) when you produce the first package.</translation>
    </message>
    <message>
        <source>Choose who you are in Settings first.</source>
        <translation>Choose who you are in Settings first.</translation>
    </message>
    <message>
        <source>Producing the result package</source>
        <translation>Producing the result package</translation>
    </message>
    <message numerus="yes">
        <source>%n evaluations are not finalised. Produce the package anyway?</source>
        <translation>
            <numerusform>%n evaluation is not finalised. Produce the package anyway?</numerusform>
            <numerusform>%n evaluations are not finalised. Produce the package anyway?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n evaluations finalised.</source>
        <translation>
            <numerusform>{done} of %n evaluation finalised.</numerusform>
            <numerusform>{done} of %n evaluations finalised.</numerusform>
        </translation>
    </message>
    <message>
        <source>Draft evaluations travel in the package but the office counts only finalised ones.</source>
        <translation>Draft evaluations travel in the package but the office counts only finalised ones.</translation>
    </message>
    <message>
        <source>Save the result package</source>
        <translation>Save the result package</translation>
    </message>
    <message>
        <source>Result packages (*{suffix})</source>
        <translation>Result packages (*{suffix})</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>Saved {path}.</translation>
    </message>
    <message>
        <source>Package fingerprint: {fp} — the office sees the same one when it merges.</source>
        <translation>Package fingerprint: {fp} — the office sees the same one when it merges.</translation>
    </message>
    <message>
        <source>Your key fingerprint: {fp} — read it to the office when they ask (the first time only).</source>
        <translation>Your key fingerprint: {fp} — read it to the office when they ask (the first time only).</translation>
    </message>
    <message numerus="yes">
        <source>%n evaluations ({finalised} finalised)</source>
        <translation>
            <numerusform>%n evaluation ({finalised} finalised)</numerusform>
            <numerusform>%n evaluations ({finalised} finalised)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n scores</source>
        <translation>
            <numerusform>%n score</numerusform>
            <numerusform>%n scores</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n visit logs</source>
        <translation>
            <numerusform>%n visit log</numerusform>
            <numerusform>%n visit logs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photos</source>
        <translation>
            <numerusform>%n photo</numerusform>
            <numerusform>%n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n monitoring visits</source>
        <translation>
            <numerusform>%n monitoring visit</numerusform>
            <numerusform>%n monitoring visits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n monitoring photos</source>
        <translation>
            <numerusform>%n monitoring photo</numerusform>
            <numerusform>%n monitoring photos</numerusform>
        </translation>
    </message>
    <message>
        <source>Neighbourhood</source>
        <translation>Neighbourhood</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>Import applications</source>
        <translation>Import applications</translation>
    </message>
    <message>
        <source>Choose the intake spreadsheet (.xlsx). Title rows, Korean headers, merged cells, amounts like 5,000,000원 and dates like 2012.04.12 are understood; nothing is written until you press Import.</source>
        <translation>Choose the intake spreadsheet (.xlsx). Title rows, Korean headers, merged cells, amounts like 5,000,000원 and dates like 2012.04.12 are understood; nothing is written until you press Import.</translation>
    </message>
    <message>
        <source>Drop an .xlsx file here</source>
        <translation>Drop an .xlsx file here</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>Other workbooks</source>
        <translation>Other workbooks</translation>
    </message>
    <message>
        <source>Evaluators and assignments…</source>
        <translation>Evaluators and assignments…</translation>
    </message>
    <message>
        <source>Evaluators, assignments and conflict declarations from a workbook.</source>
        <translation>Evaluators, assignments and conflict declarations from a workbook.</translation>
    </message>
    <message>
        <source>Paper scores…</source>
        <translation>Paper scores…</translation>
    </message>
    <message>
        <source>Scores typed into the score template (the paper fallback); finalised evaluations stay locked.</source>
        <translation>Scores typed into the score template (the paper fallback); finalised evaluations stay locked.</translation>
    </message>
    <message>
        <source>Finalise the evaluations whose scores are complete (the others are left as they are)</source>
        <translation>Finalise the evaluations whose scores are complete (the others are left as they are)</translation>
    </message>
    <message>
        <source>Column mapping (change a field to correct it)</source>
        <translation>Column mapping (change a field to correct it)</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>Header in the sheet</source>
        <translation>Header in the sheet</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Preview (first rows, as they will be stored)</source>
        <translation>Preview (first rows, as they will be stored)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <extracomment>the interpreter&apos;s switch interval while the worker has work (CPython&apos;s default is 5 ms). Each time the GUI thread enters Python (a timer, a model&apos;s data(), a progress slot) while the worker runs Python, it waits up to this long for the GIL; a screen&apos;s repaint enters Python hundreds of times. 0.5 ms keeps those waits short (the GUI&apos;s p99 tick gap during exports 17-27 → 9-16 ms, measured) at no measurable cost to the jobs (the worker&apos;s CPU time the same within noise). the worker pushes progress at most this often (the GUI thread never drowns in signals) every timer created through make_timer (checked by the UI tests&apos; leak fixture)</extracomment>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Check again</translation>
    </message>
    <message>
        <source>Import another file</source>
        <translation>Import another file</translation>
    </message>
    <message>
        <source>1. Choose the file</source>
        <translation>1. Choose the file</translation>
    </message>
    <message>
        <source>2. Check mapping and preview</source>
        <translation>2. Check mapping and preview</translation>
    </message>
    <message>
        <source>3. Done</source>
        <translation>3. Done</translation>
    </message>
    <message>
        <source>Choose the intake spreadsheet</source>
        <translation>Choose the intake spreadsheet</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx *.xlsm);;All files (*)</source>
        <translation>Excel workbooks (*.xlsx *.xlsm);;All files (*)</translation>
    </message>
    <message>
        <source>Reading {file}</source>
        <translation>Reading {file}</translation>
    </message>
    <message numerus="yes">
        <source>Sheet “{sheet}”: header found on row {row}; %n data rows — would add {add}, update {upd}, leave {same} unchanged.</source>
        <translation>
            <numerusform>Sheet “{sheet}”: header found on row {row}; %n data row — would add {add}, update {upd}, leave {same} unchanged.</numerusform>
            <numerusform>Sheet “{sheet}”: header found on row {row}; %n data rows — would add {add}, update {upd}, leave {same} unchanged.</numerusform>
        </translation>
    </message>
    <message>
        <source>(keep aside)</source>
        <translation>(keep aside)</translation>
    </message>
    <message>
        <source>(ignore)</source>
        <translation>(ignore)</translation>
    </message>
    <message>
        <source>Field of column {letter} ({header})</source>
        <translation>Field of column {letter} ({header})</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message numerus="yes">
        <source>%n problems must be fixed in the sheet before importing:</source>
        <translation>
            <numerusform>%n problem must be fixed in the sheet before importing:</numerusform>
            <numerusform>%n problems must be fixed in the sheet before importing:</numerusform>
        </translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>No problems found.</translation>
    </message>
    <message numerus="yes">
        <source>%n warnings:</source>
        <translation>
            <numerusform>%n warning:</numerusform>
            <numerusform>%n warnings:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Import %n applications</source>
        <translation>
            <numerusform>Import %n application</numerusform>
            <numerusform>Import %n applications</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing {file}</source>
        <translation>Importing {file}</translation>
    </message>
    <message>
        <source>Evaluators and assignments</source>
        <translation>Evaluators and assignments</translation>
    </message>
    <message>
        <source>Paper scores</source>
        <translation>Paper scores</translation>
    </message>
    <message numerus="yes">
        <source>Wrote {file}: %n rows</source>
        <extracomment>at most this many detail lines under a report (the rest is counted)</extracomment>
        <translation>
            <numerusform>Wrote {file}: %n row</numerusform>
            <numerusform>Wrote {file}: %n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n sheets)</source>
        <translation>
            <numerusform>(%n sheet)</numerusform>
            <numerusform>(%n sheets)</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrote {file}.</source>
        <translation>Wrote {file}.</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was written yet: this is what the import would do.</source>
        <translation>Nothing was written yet: this is what the import would do.</translation>
    </message>
    <message>
        <source>{file}: would add {add}, update {upd}, leave {same} unchanged.</source>
        <translation>{file}: would add {add}, update {upd}, leave {same} unchanged.</translation>
    </message>
    <message>
        <source>Imported {file}: {add} added, {upd} updated, {same} unchanged.</source>
        <translation>Imported {file}: {add} added, {upd} updated, {same} unchanged.</translation>
    </message>
    <message>
        <source>Added: {ids}</source>
        <translation>Added: {ids}</translation>
    </message>
    <message>
        <source>Unknown columns kept aside with each application: {columns}</source>
        <translation>Unknown columns kept aside with each application: {columns}</translation>
    </message>
    <message>
        <source>would add</source>
        <translation>would add</translation>
    </message>
    <message>
        <source>added</source>
        <translation>added</translation>
    </message>
    <message>
        <source>{file}: evaluators {verb} {ev_add} (updated {ev_upd}), assignments {verb} {asg_add} (already there {asg_same}), conflict declarations {verb} {cf_add} (changed {cf_changed}).</source>
        <translation>{file}: evaluators {verb} {ev_add} (updated {ev_upd}), assignments {verb} {asg_add} (already there {asg_same}), conflict declarations {verb} {cf_add} (changed {cf_changed}).</translation>
    </message>
    <message>
        <source>New evaluators: {codes}</source>
        <translation>New evaluators: {codes}</translation>
    </message>
    <message>
        <source>Evaluators updated: {codes}</source>
        <translation>Evaluators updated: {codes}</translation>
    </message>
    <message>
        <source>Assign {evaluator} to {application}</source>
        <translation>Assign {evaluator} to {application}</translation>
    </message>
    <message>
        <source>Conflict of interest: {evaluator} with {application}</source>
        <translation>Conflict of interest: {evaluator} with {application}</translation>
    </message>
    <message>
        <source>{level} ({points:g} pts)</source>
        <translation>{level} ({points:g} pts)</translation>
    </message>
    <message>
        <source>{points:g} pts</source>
        <translation>{points:g} pts</translation>
    </message>
    <message>
        <source>visit date and time</source>
        <translation>visit date and time</translation>
    </message>
    <message>
        <source>attendees</source>
        <translation>attendees</translation>
    </message>
    <message numerus="yes">
        <source>%n scores would be saved</source>
        <translation>
            <numerusform>%n score would be saved</numerusform>
            <numerusform>%n scores would be saved</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n scores saved</source>
        <translation>
            <numerusform>%n score saved</numerusform>
            <numerusform>%n scores saved</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n evaluations</source>
        <translation>
            <numerusform>in %n evaluation</numerusform>
            <numerusform>in %n evaluations</numerusform>
        </translation>
    </message>
    <message>
        <source>{same} unchanged, {blank} blank</source>
        <translation>{same} unchanged, {blank} blank</translation>
    </message>
    <message numerus="yes">
        <source>%n evaluations would be finalised</source>
        <translation>
            <numerusform>%n evaluation would be finalised</numerusform>
            <numerusform>%n evaluations would be finalised</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n evaluations finalised</source>
        <translation>
            <numerusform>%n evaluation finalised</numerusform>
            <numerusform>%n evaluations finalised</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left as they are (not complete)</source>
        <translation>
            <numerusform>%n left as it is (not complete)</numerusform>
            <numerusform>%n left as they are (not complete)</numerusform>
        </translation>
    </message>
    <message>
        <source>Would be finalised:</source>
        <translation>Would be finalised:</translation>
    </message>
    <message>
        <source>Finalised:</source>
        <translation>Finalised:</translation>
    </message>
    <message>
        <source>Left as they are (not complete):</source>
        <translation>Left as they are (not complete):</translation>
    </message>
    <message>
        <source>{application} · {evaluator}: missing {what}</source>
        <translation>{application} · {evaluator}: missing {what}</translation>
    </message>
    <message>
        <source>Import this workbook?</source>
        <translation>Import this workbook?</translation>
    </message>
    <message>
        <source>{file}: rejected, nothing changed — {reason}</source>
        <translation>{file}: rejected, nothing changed — {reason}</translation>
    </message>
    <message>
        <source>{file} ({who}): already merged, nothing changed</source>
        <translation>{file} ({who}): already merged, nothing changed</translation>
    </message>
    <message>
        <source>{file} ({who}): merged — {added} added, {updated} updated, {unchanged} unchanged, {conflicts} conflicts</source>
        <translation>{file} ({who}): merged — {added} added, {updated} updated, {unchanged} unchanged, {conflicts} conflicts</translation>
    </message>
    <message>
        <source>package fingerprint {fp}</source>
        <translation>package fingerprint {fp}</translation>
    </message>
    <message>
        <source>evaluations</source>
        <translation>evaluations</translation>
    </message>
    <message>
        <source>scores</source>
        <translation>scores</translation>
    </message>
    <message>
        <source>visit logs</source>
        <translation>visit logs</translation>
    </message>
    <message>
        <source>photos and files</source>
        <translation>photos and files</translation>
    </message>
    <message>
        <source>audit entries</source>
        <translation>audit entries</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>updated</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unchanged</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>removed</translation>
    </message>
    <message>
        <source>conflicts</source>
        <translation>conflicts</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>skipped</translation>
    </message>
    <message>
        <source>Register an evaluator&apos;s key</source>
        <translation>Register an evaluator&apos;s key</translation>
    </message>
    <message>
        <source>The first package of an evaluator carries their new key. Phone the evaluator and ask them to read the key fingerprint shown on their Hand back screen; type it here.</source>
        <translation>The first package of an evaluator carries their new key. Phone the evaluator and ask them to read the key fingerprint shown on their Hand back screen; type it here.</translation>
    </message>
    <message>
        <source>Package or key file</source>
        <translation>Package or key file</translation>
    </message>
    <message>
        <source>Choose the package or key file</source>
        <translation>Choose the package or key file</translation>
    </message>
    <message>
        <source>Fingerprint read by the evaluator</source>
        <translation>Fingerprint read by the evaluator</translation>
    </message>
    <message>
        <source>Result packages and key files (*{package} *.pub);;All files (*)</source>
        <translation>Result packages and key files (*{package} *.pub);;All files (*)</translation>
    </message>
    <message>
        <source>1. Field kits — one file per evaluator</source>
        <translation>1. Field kits — one file per evaluator</translation>
    </message>
    <message>
        <source>A kit holds the program, the rubric and the evaluator&apos;s assigned applications with only what the visit needs. Give each evaluator their file (USB stick or e-mail).</source>
        <translation>A kit holds the program, the rubric and the evaluator&apos;s assigned applications with only what the visit needs. Give each evaluator their file (USB stick or e-mail).</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation>Key fingerprint</translation>
    </message>
    <message>
        <source>not registered</source>
        <translation>not registered</translation>
    </message>
    <message>
        <source>Evaluators and their kits</source>
        <translation>Evaluators and their kits</translation>
    </message>
    <message>
        <source>Build kits for all evaluators…</source>
        <translation>Build kits for all evaluators…</translation>
    </message>
    <message>
        <source>Register an evaluator&apos;s key…</source>
        <translation>Register an evaluator&apos;s key…</translation>
    </message>
    <message>
        <source>2. Result packages — merge what comes back</source>
        <translation>2. Result packages — merge what comes back</translation>
    </message>
    <message>
        <source>Drop result packages here, or choose them with the button. Merging the same package twice changes nothing; a package that fails verification changes nothing and says why.</source>
        <translation>Drop result packages here, or choose them with the button. Merging the same package twice changes nothing; a package that fails verification changes nothing and says why.</translation>
    </message>
    <message>
        <source>Choose packages…</source>
        <translation>Choose packages…</translation>
    </message>
    <message>
        <source>The merge report appears here.</source>
        <translation>The merge report appears here.</translation>
    </message>
    <message>
        <source>3. Conflicts to decide</source>
        <translation>3. Conflicts to decide</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>Evaluation</translation>
    </message>
    <message>
        <source>Visit log</source>
        <translation>Visit log</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>Kept</translation>
    </message>
    <message>
        <source>Conflicts to decide</source>
        <translation>Conflicts to decide</translation>
    </message>
    <message>
        <source>Both values of the selected conflict</source>
        <translation>Both values of the selected conflict</translation>
    </message>
    <message>
        <source>Other value</source>
        <translation>Other value</translation>
    </message>
    <message numerus="yes">
        <source>%n kits written to {folder}</source>
        <translation>
            <numerusform>%n kit written to {folder}</numerusform>
            <numerusform>%n kits written to {folder}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n packages: {merged} merged, {rejected} rejected.</source>
        <translation>
            <numerusform>%n package: {merged} merged, {rejected} rejected.</numerusform>
            <numerusform>%n packages: {merged} merged, {rejected} rejected.</numerusform>
        </translation>
    </message>
    <message>
        <source>the office&apos;s value</source>
        <translation>the office&apos;s value</translation>
    </message>
    <message>
        <source>the package&apos;s value</source>
        <translation>the package&apos;s value</translation>
    </message>
    <message>
        <source>a finalised evaluation beats a draft</source>
        <translation>a finalised evaluation beats a draft</translation>
    </message>
    <message>
        <source>the later change wins</source>
        <translation>the later change wins</translation>
    </message>
    <message>
        <source>changed at the same time: the larger device ID wins</source>
        <translation>changed at the same time: the larger device ID wins</translation>
    </message>
    <message>
        <source>abstained</source>
        <translation>abstained</translation>
    </message>
    <message>
        <source>Finalised at</source>
        <translation>Finalised at</translation>
    </message>
    <message>
        <source>Abstention reason</source>
        <translation>Abstention reason</translation>
    </message>
    <message>
        <source>{criterion}: comment</source>
        <translation>{criterion}: comment</translation>
    </message>
    <message>
        <source>Overall comment</source>
        <translation>Overall comment</translation>
    </message>
    <message>
        <source>checked</source>
        <translation>checked</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>not checked</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>Changed at</source>
        <translation>Changed at</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <source>Kept value</source>
        <translation>Kept value</translation>
    </message>
    <message>
        <source>Select a conflict to see both values side by side; rows that differ are marked ≠.</source>
        <translation>Select a conflict to see both values side by side; rows that differ are marked ≠.</translation>
    </message>
    <message>
        <source>Keep this value</source>
        <translation>Keep this value</translation>
    </message>
    <message>
        <source>Use the other value…</source>
        <translation>Use the other value…</translation>
    </message>
    <message>
        <source>Office key: none yet — it is made (with a passphrase) when you build the first kits.</source>
        <translation>Office key: none yet — it is made (with a passphrase) when you build the first kits.</translation>
    </message>
    <message>
        <source>Office key fingerprint: {fp}</source>
        <translation>Office key fingerprint: {fp}</translation>
    </message>
    <message>
        <source>Kits</source>
        <translation>Kits</translation>
    </message>
    <message>
        <source>No evaluator has assignments yet; assign evaluators first.</source>
        <translation>No evaluator has assignments yet; assign evaluators first.</translation>
    </message>
    <message>
        <source>Folder for the kits</source>
        <translation>Folder for the kits</translation>
    </message>
    <message>
        <source>Building kits</source>
        <translation>Building kits</translation>
    </message>
    <message>
        <source>Choose result packages</source>
        <translation>Choose result packages</translation>
    </message>
    <message>
        <source>Result packages (*{suffix});;All files (*)</source>
        <translation>Result packages (*{suffix});;All files (*)</translation>
    </message>
    <message numerus="yes">
        <source>Merging %n packages</source>
        <translation>
            <numerusform>Merging %n package</numerusform>
            <numerusform>Merging %n packages</numerusform>
        </translation>
    </message>
    <message>
        <source>Registered key {fp} for {evaluator}.</source>
        <translation>Registered key {fp} for {evaluator}.</translation>
    </message>
    <message>
        <source>Decide a conflict</source>
        <translation>Decide a conflict</translation>
    </message>
    <message>
        <source>Why? (goes in the audit trail)</source>
        <translation>Why? (goes in the audit trail)</translation>
    </message>
    <message>
        <source>Try the field mode</source>
        <translation>Try the field mode</translation>
    </message>
    <message>
        <source>This makes a field database — what an evaluator&apos;s laptop holds — from this database&apos;s kit for one evaluator, and opens it. Reopen the office database later from File → Open recent.</source>
        <translation>This makes a field database — what an evaluator&apos;s laptop holds — from this database&apos;s kit for one evaluator, and opens it. Reopen the office database later from File → Open recent.</translation>
    </message>
    <message>
        <source>New office key passphrase</source>
        <translation>New office key passphrase</translation>
    </message>
    <message>
        <source>Office key passphrase</source>
        <translation>Office key passphrase</translation>
    </message>
    <message>
        <source>Field database</source>
        <translation>Field database</translation>
    </message>
    <message>
        <source>No evaluator has assignments in this database.</source>
        <translation>No evaluator has assignments in this database.</translation>
    </message>
    <message>
        <source>Making the field database</source>
        <translation>Making the field database</translation>
    </message>
    <message>
        <source>Encrypted field kit</source>
        <translation>Encrypted field kit</translation>
    </message>
    <message>
        <source>{kit} carries applicants&apos; contact data, so the office encrypted it with a passphrase. Type the kit passphrase the office gave you (by phone or in person, never with the file).</source>
        <translation>{kit} carries applicants&apos; contact data, so the office encrypted it with a passphrase. Type the kit passphrase the office gave you (by phone or in person, never with the file).</translation>
    </message>
    <message>
        <source>Kit passphrase</source>
        <translation>Kit passphrase</translation>
    </message>
    <message>
        <source>{kit} carries applicants&apos; contact data, so the office encrypted it to your key ({evaluator}, {fingerprint}). Type your key&apos;s passphrase.</source>
        <translation>{kit} carries applicants&apos; contact data, so the office encrypted it to your key ({evaluator}, {fingerprint}). Type your key&apos;s passphrase.</translation>
    </message>
    <message>
        <source>Your key&apos;s passphrase</source>
        <translation>Your key&apos;s passphrase</translation>
    </message>
    <message numerus="yes">
        <source>That passphrase did not open the kit. %n tries left.</source>
        <translation>
            <numerusform>That passphrase did not open the kit. %n try left.</numerusform>
            <numerusform>That passphrase did not open the kit. %n tries left.</numerusform>
        </translation>
    </message>
    <message>
        <source>Import a field kit</source>
        <extracomment>how many times a wrong kit passphrase is asked again</extracomment>
        <translation>Import a field kit</translation>
    </message>
    <message>
        <source>Field kits (*{suffix});;All files (*)</source>
        <translation>Field kits (*{suffix});;All files (*)</translation>
    </message>
    <message>
        <source>{kit} is encrypted to evaluator {evaluator}&apos;s key, and this computer has no key file for {evaluator}.</source>
        <translation>{kit} is encrypted to evaluator {evaluator}&apos;s key, and this computer has no key file for {evaluator}.</translation>
    </message>
    <message>
        <source>Import it on the laptop that holds that key, or ask the office for a kit protected with a passphrase instead. Nothing was changed.</source>
        <translation>Import it on the laptop that holds that key, or ask the office for a kit protected with a passphrase instead. Nothing was changed.</translation>
    </message>
    <message>
        <source>New field database</source>
        <translation>New field database</translation>
    </message>
    <message>
        <source>Importing the kit</source>
        <translation>Importing the kit</translation>
    </message>
    <message>
        <source>Ranked lists</source>
        <extracomment>the core call: run(store, out, options, progress, cancel); options are the screen&apos;s choices whether it can carry the applicants&apos; contact data (then only when asked, with a reason)</extracomment>
        <translation>Ranked lists</translation>
    </message>
    <message>
        <source>Per track: rank, score, decision and reason.</source>
        <translation>Per track: rank, score, decision and reason.</translation>
    </message>
    <message>
        <source>All scores</source>
        <translation>All scores</translation>
    </message>
    <message>
        <source>Every score of every evaluator, criterion by criterion.</source>
        <translation>Every score of every evaluator, criterion by criterion.</translation>
    </message>
    <message>
        <source>Visits and finalisations per evaluator and track.</source>
        <translation>Visits and finalisations per evaluator and track.</translation>
    </message>
    <message>
        <source>Score template</source>
        <translation>Score template</translation>
    </message>
    <message>
        <source>One row per application and criterion, to type paper scores into (import it under Import).</source>
        <translation>One row per application and criterion, to type paper scores into (import it under Import).</translation>
    </message>
    <message>
        <source>Committee summary</source>
        <translation>Committee summary</translation>
    </message>
    <message>
        <source>The ranking per track with the cut line, for signing.</source>
        <translation>The ranking per track with the cut line, for signing.</translation>
    </message>
    <message>
        <source>Aggregate sheets</source>
        <translation>Aggregate sheets</translation>
    </message>
    <message>
        <source>One sheet per application with every evaluator&apos;s scores.</source>
        <translation>One sheet per application with every evaluator&apos;s scores.</translation>
    </message>
    <message>
        <source>Filled score sheets</source>
        <translation>Filled score sheets</translation>
    </message>
    <message>
        <source>Each evaluator&apos;s score sheets as scored.</source>
        <translation>Each evaluator&apos;s score sheets as scored.</translation>
    </message>
    <message>
        <source>Blank score sheets</source>
        <translation>Blank score sheets</translation>
    </message>
    <message>
        <source>Paper fallback for the field study.</source>
        <translation>Paper fallback for the field study.</translation>
    </message>
    <message>
        <source>Dossier of one application</source>
        <translation>Dossier of one application</translation>
    </message>
    <message>
        <source>Everything about the application chosen above in one document.</source>
        <translation>Everything about the application chosen above in one document.</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Options</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>The program&apos;s setting</source>
        <translation>The program&apos;s setting</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>The ranked lists, the scores and progress workbooks, the score template, the committee summary and the score sheets are of the round shown at the top of the window.</source>
        <translation>The ranked lists, the scores and progress workbooks, the score template, the committee summary and the score sheets are of the round shown at the top of the window.</translation>
    </message>
    <message>
        <source>Excel workbooks (for the city&apos;s systems)</source>
        <translation>Excel workbooks (for the city&apos;s systems)</translation>
    </message>
    <message>
        <source>PDF documents (to print and sign)</source>
        <translation>PDF documents (to print and sign)</translation>
    </message>
    <message>
        <source>Include the applicants&apos; contact data (ranked lists, filled sheets, dossier; you are asked why, and it is recorded in the access log)</source>
        <translation>Include the applicants&apos; contact data (ranked lists, filled sheets, dossier; you are asked why, and it is recorded in the access log)</translation>
    </message>
    <message>
        <source>Without it, documents and workbooks name applications by ID and group name only. Every output is recorded in the access log.</source>
        <translation>Without it, documents and workbooks name applications by ID and group name only. Every output is recorded in the access log.</translation>
    </message>
    <message>
        <source>Open the folder when done</source>
        <translation>Open the folder when done</translation>
    </message>
    <message>
        <source>Round: {round}</source>
        <translation>Round: {round}</translation>
    </message>
    <message>
        <source>Choose the application above first.</source>
        <translation>Choose the application above first.</translation>
    </message>
    <message>
        <source>Why does this output need the applicants&apos; contact data? (kept in the access log)</source>
        <translation>Why does this output need the applicants&apos; contact data? (kept in the access log)</translation>
    </message>
    <message>
        <source>Agreed</source>
        <comment>award status</comment>
        <translation>Agreed</translation>
    </message>
    <message>
        <source>In progress</source>
        <comment>award status</comment>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Completed</source>
        <comment>award status</comment>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <comment>award status</comment>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <comment>award status</comment>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Consulting</source>
        <translation>Consulting</translation>
    </message>
    <message>
        <source>Counselling</source>
        <translation>Counselling</translation>
    </message>
    <message>
        <source>Settlement submitted</source>
        <translation>Settlement submitted</translation>
    </message>
    <message>
        <source>Settlement checked</source>
        <translation>Settlement checked</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>Adjust the award of {application}</source>
        <translation>Adjust the award of {application}</translation>
    </message>
    <message>
        <source>Amount (won)</source>
        <translation>Amount (won)</translation>
    </message>
    <message>
        <source>Agreement date</source>
        <translation>Agreement date</translation>
    </message>
    <message>
        <source>Project starts</source>
        <translation>Project starts</translation>
    </message>
    <message>
        <source>Project ends</source>
        <translation>Project ends</translation>
    </message>
    <message>
        <source>kept in the audit trail</source>
        <translation>kept in the audit trail</translation>
    </message>
    <message>
        <source>Type the amount in won and dates as 2012-06-20.</source>
        <translation>Type the amount in won and dates as 2012-06-20.</translation>
    </message>
    <message>
        <source>The award needs its amount.</source>
        <translation>The award needs its amount.</translation>
    </message>
    <message>
        <source>Say why (the reason is kept in the audit trail).</source>
        <translation>Say why (the reason is kept in the audit trail).</translation>
    </message>
    <message>
        <source>Change the status of {application}</source>
        <translation>Change the status of {application}</translation>
    </message>
    <message>
        <source>New status</source>
        <translation>New status</translation>
    </message>
    <message>
        <source>The best-ranked reserve of the same round and track steps in</source>
        <translation>The best-ranked reserve of the same round and track steps in</translation>
    </message>
    <message>
        <source>A withdrawn or cancelled award keeps its status.</source>
        <translation>A withdrawn or cancelled award keeps its status.</translation>
    </message>
    <message>
        <source>Record a tranche for {application}</source>
        <translation>Record a tranche for {application}</translation>
    </message>
    <message>
        <source>Awarded {amount} won, disbursed {disbursed} won, balance {balance} won.</source>
        <translation>Awarded {amount} won, disbursed {disbursed} won, balance {balance} won.</translation>
    </message>
    <message>
        <source>Paid on</source>
        <translation>Paid on</translation>
    </message>
    <message>
        <source>The tranche needs its amount and date.</source>
        <translation>The tranche needs its amount and date.</translation>
    </message>
    <message>
        <source>Log a support session for {application}</source>
        <translation>Log a support session for {application}</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>Given by</source>
        <translation>Given by</translation>
    </message>
    <message>
        <source>not counted</source>
        <translation>not counted</translation>
    </message>
    <message>
        <source>The session needs its date and topic.</source>
        <translation>The session needs its date and topic.</translation>
    </message>
    <message>
        <source>Record the settlement of {application}</source>
        <translation>Record the settlement of {application}</translation>
    </message>
    <message>
        <source>Settlement</source>
        <translation>Settlement</translation>
    </message>
    <message>
        <source>Amount returned (won)</source>
        <translation>Amount returned (won)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Type the amount in won, e.g. 150,000.</source>
        <translation>Type the amount in won, e.g. 150,000.</translation>
    </message>
    <message>
        <source>The amount returned cannot be more than what was disbursed ({disbursed} won).</source>
        <translation>The amount returned cannot be more than what was disbursed ({disbursed} won).</translation>
    </message>
    <message>
        <source>Monitoring plan</source>
        <translation>Monitoring plan</translation>
    </message>
    <message>
        <source>Which visits every award gets, in months after its project starts (its start date, else its agreement date): e.g. mid=3, final=6. Each track keeps its monitoring rubric (the shipped one unless set with the command line).</source>
        <translation>Which visits every award gets, in months after its project starts (its start date, else its agreement date): e.g. mid=3, final=6. Each track keeps its monitoring rubric (the shipped one unless set with the command line).</translation>
    </message>
    <message>
        <source>Visits (code=months)</source>
        <translation>Visits (code=months)</translation>
    </message>
    <message>
        <source>&apos;{part}&apos; is not CODE=MONTHS (e.g. mid=3).</source>
        <translation>&apos;{part}&apos; is not CODE=MONTHS (e.g. mid=3).</translation>
    </message>
    <message>
        <source>Name at least one visit, e.g. mid=3, final=6.</source>
        <translation>Name at least one visit, e.g. mid=3, final=6.</translation>
    </message>
    <message>
        <source>Monitoring plan…</source>
        <translation>Monitoring plan…</translation>
    </message>
    <message>
        <source>Assign visitors</source>
        <translation>Assign visitors</translation>
    </message>
    <message>
        <source>Follow-up workbook…</source>
        <translation>Follow-up workbook…</translation>
    </message>
    <message>
        <source>Follow-up summary PDF…</source>
        <translation>Follow-up summary PDF…</translation>
    </message>
    <message>
        <source>Blank visit sheets PDF…</source>
        <translation>Blank visit sheets PDF…</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Disbursed</source>
        <translation>Disbursed</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Balance</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Agreement</translation>
    </message>
    <message>
        <source>Project period</source>
        <translation>Project period</translation>
    </message>
    <message>
        <source>Next visit due</source>
        <translation>Next visit due</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Awards</source>
        <translation>Awards</translation>
    </message>
    <message>
        <source>Adjust amount and terms…</source>
        <translation>Adjust amount and terms…</translation>
    </message>
    <message>
        <source>Change status…</source>
        <translation>Change status…</translation>
    </message>
    <message>
        <source>Record a tranche…</source>
        <translation>Record a tranche…</translation>
    </message>
    <message>
        <source>Log support…</source>
        <translation>Log support…</translation>
    </message>
    <message>
        <source>Record settlement…</source>
        <translation>Record settlement…</translation>
    </message>
    <message>
        <source>Dossier PDF…</source>
        <translation>Dossier PDF…</translation>
    </message>
    <message>
        <source>The award&apos;s follow-up dossier: the award, every visit with its findings and actions, tranches, settlement, support and photos</source>
        <translation>The award&apos;s follow-up dossier: the award, every visit with its findings and actions, tranches, settlement, support and photos</translation>
    </message>
    <message>
        <source>Visit sheets PDF…</source>
        <translation>Visit sheets PDF…</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Visitor</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>Visited</translation>
    </message>
    <message>
        <source>Blank visit sheets</source>
        <translation>Blank visit sheets</translation>
    </message>
    <message>
        <source>Follow-up dossier</source>
        <translation>Follow-up dossier</translation>
    </message>
    <message>
        <source>Visit sheets</source>
        <translation>Visit sheets</translation>
    </message>
    <message>
        <source>Open actions</source>
        <translation>Open actions</translation>
    </message>
    <message>
        <source>Visits of the selected award</source>
        <translation>Visits of the selected award</translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message>
        <source>Visits due</source>
        <translation>Visits due</translation>
    </message>
    <message>
        <source>Only overdue</source>
        <translation>Only overdue</translation>
    </message>
    <message>
        <source>Due and overdue visits</source>
        <translation>Due and overdue visits</translation>
    </message>
    <message numerus="yes">
        <source>%n awards</source>
        <translation>
            <numerusform>%n award</numerusform>
            <numerusform>%n awards</numerusform>
        </translation>
    </message>
    <message>
        <source>{awarded} won awarded, {disbursed} won disbursed</source>
        <translation>{awarded} won awarded, {disbursed} won disbursed</translation>
    </message>
    <message>
        <source>counted as of {date}, the program&apos;s follow-up date</source>
        <translation>counted as of {date}, the program&apos;s follow-up date</translation>
    </message>
    <message>
        <source>{amount} won returned</source>
        <translation>{amount} won returned</translation>
    </message>
    <message numerus="yes">
        <source>%n visits overdue</source>
        <translation>
            <numerusform>%n visit overdue</numerusform>
            <numerusform>%n visits overdue</numerusform>
        </translation>
    </message>
    <message>
        <source>The paper form of every monitoring visit still to make</source>
        <translation>The paper form of every monitoring visit still to make</translation>
    </message>
    <message>
        <source>The filled sheet of each monitoring visit recorded for the award</source>
        <translation>The filled sheet of each monitoring visit recorded for the award</translation>
    </message>
    <message>
        <source>monitoring plan: {visits} months</source>
        <translation>monitoring plan: {visits} months</translation>
    </message>
    <message>
        <source>no monitoring plan yet</source>
        <translation>no monitoring plan yet</translation>
    </message>
    <message>
        <source>Choose an award above.</source>
        <translation>Choose an award above.</translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation>reason: {reason}</translation>
    </message>
    <message>
        <source>steps in for {application}</source>
        <translation>steps in for {application}</translation>
    </message>
    <message numerus="yes">
        <source>%n tranches</source>
        <translation>
            <numerusform>%n tranche</numerusform>
            <numerusform>%n tranches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n support sessions</source>
        <translation>
            <numerusform>%n support session</numerusform>
            <numerusform>%n support sessions</numerusform>
        </translation>
    </message>
    <message>
        <source>The award of {application} is now {amount} won.</source>
        <translation>The award of {application} is now {amount} won.</translation>
    </message>
    <message>
        <source>{application} is now {status}.</source>
        <translation>{application} is now {status}.</translation>
    </message>
    <message>
        <source>Reserve {application} steps in: it is selected and awarded {amount} won.</source>
        <translation>Reserve {application} steps in: it is selected and awarded {amount} won.</translation>
    </message>
    <message>
        <source>Tranche {n} of {amount} won recorded for {application}.</source>
        <translation>Tranche {n} of {amount} won recorded for {application}.</translation>
    </message>
    <message>
        <source>Support session logged for {application}.</source>
        <translation>Support session logged for {application}.</translation>
    </message>
    <message>
        <source>{application}: {settlement}.</source>
        <translation>{application}: {settlement}.</translation>
    </message>
    <message>
        <source>Monitoring plan set: {visits}.</source>
        <translation>Monitoring plan set: {visits}.</translation>
    </message>
    <message>
        <source>Give every running award&apos;s planned visits a visitor? An award keeps its visitor; the others go to the least loaded evaluator with no declared conflict.</source>
        <translation>Give every running award&apos;s planned visits a visitor? An award keeps its visitor; the others go to the least loaded evaluator with no declared conflict.</translation>
    </message>
    <message numerus="yes">
        <source>%n visits added.</source>
        <translation>
            <numerusform>%n visit added.</numerusform>
            <numerusform>%n visits added.</numerusform>
        </translation>
    </message>
    <message>
        <source>Visits per visitor: {loads}.</source>
        <translation>Visits per visitor: {loads}.</translation>
    </message>
    <message>
        <source>No visitor could be found for {applications}.</source>
        <translation>No visitor could be found for {applications}.</translation>
    </message>
    <message>
        <source>Follow-up workbook</source>
        <translation>Follow-up workbook</translation>
    </message>
    <message>
        <source>Follow-up summary</source>
        <translation>Follow-up summary</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF document (*.pdf)</translation>
    </message>
    <message>
        <source>Finalised share</source>
        <translation>Finalised share</translation>
    </message>
    <message>
        <source>Per evaluator</source>
        <translation>Per evaluator</translation>
    </message>
    <message>
        <source>Per track</source>
        <translation>Per track</translation>
    </message>
    <message>
        <source>Fully evaluated</source>
        <translation>Fully evaluated</translation>
    </message>
    <message numerus="yes">
        <source>{done} of %n evaluations finalised ({pct:.0f} %), {started} in progress, {todo} not visited.</source>
        <translation>
            <numerusform>{done} of %n evaluation finalised ({pct:.0f} %), {started} in progress, {todo} not visited.</numerusform>
            <numerusform>{done} of %n evaluations finalised ({pct:.0f} %), {started} in progress, {todo} not visited.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{complete} of %n applications fully evaluated.</source>
        <translation>
            <numerusform>{complete} of %n application fully evaluated.</numerusform>
            <numerusform>{complete} of %n applications fully evaluated.</numerusform>
        </translation>
    </message>
    <message>
        <source>Override the decision on {app}</source>
        <translation>Override the decision on {app}</translation>
    </message>
    <message>
        <source>Computed: {decision} — {reason}</source>
        <translation>Computed: {decision} — {reason}</translation>
    </message>
    <message>
        <source>Computed decision again (remove the override)</source>
        <translation>Computed decision again (remove the override)</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Required: the committee&apos;s reason, as it goes in the minutes</source>
        <translation>Required: the committee&apos;s reason, as it goes in the minutes</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>The program&apos;s setting gives the decision of record; another method is a what-if view that stores nothing.</source>
        <translation>The program&apos;s setting gives the decision of record; another method is a what-if view that stores nothing.</translation>
    </message>
    <message>
        <source>Provisional (count drafts)</source>
        <translation>Provisional (count drafts)</translation>
    </message>
    <message>
        <source>Count evaluations that are not finalised yet; every row is marked provisional and nothing is stored.</source>
        <translation>Count evaluations that are not finalised yet; every row is marked provisional and nothing is stored.</translation>
    </message>
    <message>
        <source>Override decision…</source>
        <translation>Override decision…</translation>
    </message>
    <message>
        <source>Rank again</source>
        <translation>Rank again</translation>
    </message>
    <message>
        <source>Make it the program&apos;s method…</source>
        <translation>Make it the program&apos;s method…</translation>
    </message>
    <message>
        <source>Change the program&apos;s ranking setting to this method (audited); the next ranking stores its decisions with it.</source>
        <translation>Change the program&apos;s ranking setting to this method (audited); the next ranking stores its decisions with it.</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Flags</translation>
    </message>
    <message>
        <source>Stability</source>
        <translation>Stability</translation>
    </message>
    <message>
        <source>Share of perturbed rankings in which this application is selected</source>
        <translation>Share of perturbed rankings in which this application is selected</translation>
    </message>
    <message>
        <source>Spread</source>
        <translation>Spread</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Normalised</source>
        <translation>Normalised</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Counted</translation>
    </message>
    <message>
        <source>same organisation</source>
        <extracomment>the conflict type a likely conflict is confirmed as, by what matched (the office can choose another)</extracomment>
        <translation>same organisation</translation>
    </message>
    <message>
        <source>same district</source>
        <translation>same district</translation>
    </message>
    <message>
        <source>same e-mail domain</source>
        <translation>same e-mail domain</translation>
    </message>
    <message>
        <source>same phone</source>
        <translation>same phone</translation>
    </message>
    <message>
        <source>[previously dismissed for {what}: {reason}; something new matches since]</source>
        <translation>[previously dismissed for {what}: {reason}; something new matches since]</translation>
    </message>
    <message>
        <source>Assign automatically</source>
        <translation>Assign automatically</translation>
    </message>
    <message>
        <source>all tracks</source>
        <translation>all tracks</translation>
    </message>
    <message>
        <source>Applications of {round}, {scope}: each gets the number of evaluators below, the least loaded first (each evaluator&apos;s load within one of the others&apos;), never one with a declared conflict. Evaluators already assigned stay.</source>
        <translation>Applications of {round}, {scope}: each gets the number of evaluators below, the least loaded first (each evaluator&apos;s load within one of the others&apos;), never one with a declared conflict. Evaluators already assigned stay.</translation>
    </message>
    <message>
        <source>the current round</source>
        <translation>the current round</translation>
    </message>
    <message>
        <source>Evaluators per application</source>
        <translation>Evaluators per application</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Assign</translation>
    </message>
    <message>
        <source>Likely conflicts to confirm</source>
        <translation>Likely conflicts to confirm</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Confirm as a declared conflict</source>
        <translation>Confirm as a declared conflict</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <source>Show dismissed</source>
        <translation>Show dismissed</translation>
    </message>
    <message>
        <source>What matched</source>
        <translation>What matched</translation>
    </message>
    <message>
        <source>Dismissed by</source>
        <translation>Dismissed by</translation>
    </message>
    <message>
        <source>On</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Dismissed likely conflicts</source>
        <translation>Dismissed likely conflicts</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>List it as a likely conflict again (asks why; kept in the audit trail)</source>
        <translation>List it as a likely conflict again (asks why; kept in the audit trail)</translation>
    </message>
    <message numerus="yes">
        <source>%n assignments added</source>
        <translation>
            <numerusform>%n assignment added</numerusform>
            <numerusform>%n assignments added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n applications considered</source>
        <translation>
            <numerusform>%n application considered</numerusform>
            <numerusform>%n applications considered</numerusform>
        </translation>
    </message>
    <message>
        <source>{count} applications could not get {n} evaluators without a conflict: {which}</source>
        <translation>{count} applications could not get {n} evaluators without a conflict: {which}</translation>
    </message>
    <message>
        <source>Confirm each likely conflict that is one (it becomes a declared conflict and the evaluator no longer holds the application), or dismiss it. Then assign again to give those applications another evaluator.</source>
        <translation>Confirm each likely conflict that is one (it becomes a declared conflict and the evaluator no longer holds the application), or dismiss it. Then assign again to give those applications another evaluator.</translation>
    </message>
    <message>
        <source>No likely conflicts.</source>
        <translation>No likely conflicts.</translation>
    </message>
    <message>
        <source>Declared a conflict of {evaluator} with {app}.</source>
        <translation>Declared a conflict of {evaluator} with {app}.</translation>
    </message>
    <message>
        <source>Dismiss a likely conflict</source>
        <translation>Dismiss a likely conflict</translation>
    </message>
    <message>
        <source>Why is {evaluator} with {app} not a conflict of interest? (kept with the dismissal and in the audit trail)</source>
        <translation>Why is {evaluator} with {app} not a conflict of interest? (kept with the dismissal and in the audit trail)</translation>
    </message>
    <message>
        <source>Dismissed the likely conflict of {evaluator} with {app}.</source>
        <translation>Dismissed the likely conflict of {evaluator} with {app}.</translation>
    </message>
    <message>
        <source>Restore a likely conflict</source>
        <translation>Restore a likely conflict</translation>
    </message>
    <message>
        <source>Why should {evaluator} with {app} be listed as a likely conflict again? (kept in the audit trail)</source>
        <translation>Why should {evaluator} with {app} be listed as a likely conflict again? (kept in the audit trail)</translation>
    </message>
    <message>
        <source>{evaluator} with {app} is listed as a likely conflict again.</source>
        <translation>{evaluator} with {app} is listed as a likely conflict again.</translation>
    </message>
    <message>
        <source>(computed: {decision})</source>
        <translation>(computed: {decision})</translation>
    </message>
    <message>
        <source>Ranked again at {time}; the decisions are recorded.</source>
        <translation>Ranked again at {time}; the decisions are recorded.</translation>
    </message>
    <message>
        <source>Ranked again at {time}; nothing is stored (a what-if or provisional view).</source>
        <translation>Ranked again at {time}; nothing is stored (a what-if or provisional view).</translation>
    </message>
    <message>
        <source>What-if view: ranked by {method}, while the program&apos;s method is {program}. Nothing is stored; the decisions of record are unchanged.</source>
        <translation>What-if view: ranked by {method}, while the program&apos;s method is {program}. Nothing is stored; the decisions of record are unchanged.</translation>
    </message>
    <message>
        <source>Method of record</source>
        <translation>Method of record</translation>
    </message>
    <message>
        <source>Make {method} the program&apos;s aggregation method?</source>
        <translation>Make {method} the program&apos;s aggregation method?</translation>
    </message>
    <message>
        <source>The change is recorded in the audit trail. The ranking is then redone with it and its decisions are stored as the decisions of record.</source>
        <translation>The change is recorded in the audit trail. The ranking is then redone with it and its decisions are stored as the decisions of record.</translation>
    </message>
    <message>
        <source>Changing the ranking method</source>
        <translation>Changing the ranking method</translation>
    </message>
    <message>
        <source>Quota {quota}: {selected} selected, {reserve} in reserve, {eligible} eligible.</source>
        <translation>Quota {quota}: {selected} selected, {reserve} in reserve, {eligible} eligible.</translation>
    </message>
    <message>
        <source>Minimum score {min:g}.</source>
        <translation>Minimum score {min:g}.</translation>
    </message>
    <message>
        <source>Agreement between evaluators: {value:.2f} ({method}).</source>
        <translation>Agreement between evaluators: {value:.2f} ({method}).</translation>
    </message>
    <message>
        <source>Provisional: some evaluations are not finalised yet.</source>
        <translation>Provisional: some evaluations are not finalised yet.</translation>
    </message>
    <message>
        <source>(hover here for the rules)</source>
        <translation>(hover here for the rules)</translation>
    </message>
    <message>
        <source>Key {n}: {label} ({percent:g} % of the maximum)</source>
        <extracomment>criterion -&gt; (level, points, comment)</extracomment>
        <translation>Key {n}: {label} ({percent:g} % of the maximum)</translation>
    </message>
    <message>
        <source> pts</source>
        <translation> pts</translation>
    </message>
    <message>
        <source>Type the points (0–{max:g}); Delete leaves it blank</source>
        <translation>Type the points (0–{max:g}); Delete leaves it blank</translation>
    </message>
    <message>
        <source>max {points:g} pts</source>
        <translation>max {points:g} pts</translation>
    </message>
    <message>
        <source>weight {w:g}</source>
        <translation>weight {w:g}</translation>
    </message>
    <message>
        <source>field check</source>
        <translation>field check</translation>
    </message>
    <message>
        <source>Korean name</source>
        <translation>Korean name</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>English name</translation>
    </message>
    <message>
        <source>Rubric file</source>
        <translation>Rubric file</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>Quota</translation>
    </message>
    <message>
        <source>Budget (KRW)</source>
        <translation>Budget (KRW)</translation>
    </message>
    <message>
        <source>Minimum score</source>
        <translation>Minimum score</translation>
    </message>
    <message>
        <source>Intake opens</source>
        <translation>Intake opens</translation>
    </message>
    <message>
        <source>Intake closes</source>
        <translation>Intake closes</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>New program</source>
        <translation>New program</translation>
    </message>
    <message>
        <source>From a program file</source>
        <translation>From a program file</translation>
    </message>
    <message>
        <source>Guided form</source>
        <translation>Guided form</translation>
    </message>
    <message>
        <source>A program file (TOML) describes the whole call: its tracks with their rubric files, quotas, reserves, budgets and minimum scores, its ranking settings, categories, intake fields and rounds (docs/programs.md). It is checked before anything is written.</source>
        <translation>A program file (TOML) describes the whole call: its tracks with their rubric files, quotas, reserves, budgets and minimum scores, its ranking settings, categories, intake fields and rounds (docs/programs.md). It is checked before anything is written.</translation>
    </message>
    <message>
        <source>Program file</source>
        <translation>Program file</translation>
    </message>
    <message>
        <source>Create the program</source>
        <translation>Create the program</translation>
    </message>
    <message>
        <source>Program file (*.toml);;All files (*)</source>
        <translation>Program file (*.toml);;All files (*)</translation>
    </message>
    <message>
        <source>Program {program} created.</source>
        <translation>Program {program} created.</translation>
    </message>
    <message>
        <source>e.g. gangbuk-2014</source>
        <translation>e.g. gangbuk-2014</translation>
    </message>
    <message>
        <source>e.g. 2014 마을공동체 공모</source>
        <translation>e.g. 2014 마을공동체 공모</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>e.g. 강북구청 마을공동체팀</source>
        <translation>e.g. 강북구청 마을공동체팀</translation>
    </message>
    <message>
        <source>Organising office</source>
        <translation>Organising office</translation>
    </message>
    <message>
        <source>Fixed rounds</source>
        <translation>Fixed rounds</translation>
    </message>
    <message>
        <source>Rolling intake (placed in rounds by submission date)</source>
        <translation>Rolling intake (placed in rounds by submission date)</translation>
    </message>
    <message>
        <source>Intake</source>
        <translation>Intake</translation>
    </message>
    <message>
        <source>Tracks</source>
        <translation>Tracks</translation>
    </message>
    <message>
        <source>Add track</source>
        <translation>Add track</translation>
    </message>
    <message>
        <source>Remove track</source>
        <translation>Remove track</translation>
    </message>
    <message>
        <source>Rubric file…</source>
        <translation>Rubric file…</translation>
    </message>
    <message>
        <source>Rounds</source>
        <translation>Rounds</translation>
    </message>
    <message>
        <source>Rounds (none: one round, the whole program)</source>
        <translation>Rounds (none: one round, the whole program)</translation>
    </message>
    <message>
        <source>Add round</source>
        <translation>Add round</translation>
    </message>
    <message>
        <source>Remove round</source>
        <translation>Remove round</translation>
    </message>
    <message>
        <source>where the program file is written (rubric paths are relative to it)</source>
        <translation>where the program file is written (rubric paths are relative to it)</translation>
    </message>
    <message>
        <source>Program file to write</source>
        <translation>Program file to write</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>Write the file and create the program</source>
        <translation>Write the file and create the program</translation>
    </message>
    <message>
        <source>Rubric file (*.toml);;All files (*)</source>
        <translation>Rubric file (*.toml);;All files (*)</translation>
    </message>
    <message>
        <source>Program file (*.toml)</source>
        <translation>Program file (*.toml)</translation>
    </message>
    <message>
        <source>Choose where to save the file (Save as…) to create it.</source>
        <translation>Choose where to save the file (Save as…) to create it.</translation>
    </message>
    <message>
        <source>{name} exists already. Replace it?</source>
        <translation>{name} exists already. Replace it?</translation>
    </message>
    <message numerus="yes">
        <source>{name} ({code}): %n tracks, {rounds} rounds; no problems.</source>
        <translation>
            <numerusform>{name} ({code}): %n track, {rounds} rounds; no problems.</numerusform>
            <numerusform>{name} ({code}): %n tracks, {rounds} rounds; no problems.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problems; nothing was written.</source>
        <translation>
            <numerusform>%n problem; nothing was written.</numerusform>
            <numerusform>%n problems; nothing was written.</numerusform>
        </translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>Evidence seen on the visit, or why this level</source>
        <translation>Evidence seen on the visit, or why this level</translation>
    </message>
    <message>
        <source>Visit notes</source>
        <translation>Visit notes</translation>
    </message>
    <message>
        <source>Fill in the current date and time</source>
        <translation>Fill in the current date and time</translation>
    </message>
    <message>
        <source>Edit comment</source>
        <translation>Edit comment</translation>
    </message>
    <message>
        <source>← Back</source>
        <translation>← Back</translation>
    </message>
    <message>
        <source>Back to the list (Alt+Left). Everything is already saved.</source>
        <translation>Back to the list (Alt+Left). Everything is already saved.</translation>
    </message>
    <message>
        <source>Visited at</source>
        <translation>Visited at</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>not recorded</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>Attendees</translation>
    </message>
    <message>
        <source>Who was there (names or roles)</source>
        <translation>Who was there (names or roles)</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Edit the visit time</source>
        <translation>Edit the visit time</translation>
    </message>
    <message>
        <source>Edit the attendees</source>
        <translation>Edit the attendees</translation>
    </message>
    <message>
        <source>Edit the visit notes</source>
        <translation>Edit the visit notes</translation>
    </message>
    <message>
        <source>Tick {item}</source>
        <translation>Tick {item}</translation>
    </message>
    <message>
        <source>Untick {item}</source>
        <translation>Untick {item}</translation>
    </message>
    <message>
        <source>Scores — {rubric} (version {version})</source>
        <translation>Scores — {rubric} (version {version})</translation>
    </message>
    <message>
        <source>Keys: 1–5 pick a level (1 = {top}), 0 clears, Tab moves on, Ctrl+Z undoes, Ctrl+Enter finalises. Every change is saved at once.</source>
        <translation>Keys: 1–5 pick a level (1 = {top}), 0 clears, Tab moves on, Ctrl+Z undoes, Ctrl+Enter finalises. Every change is saved at once.</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>Attach photos…</source>
        <translation>Attach photos…</translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation>Remove photo</translation>
    </message>
    <message>
        <source>Abstain…</source>
        <translation>Abstain…</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>Reopen…</translation>
    </message>
    <message>
        <source>Finalise…</source>
        <translation>Finalise…</translation>
    </message>
    <message>
        <source>Lock this evaluation (Ctrl+Enter)</source>
        <translation>Lock this evaluation (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Finalised {when}</source>
        <translation>Finalised {when}</translation>
    </message>
    <message>
        <source>Withdraw abstention…</source>
        <translation>Withdraw abstention…</translation>
    </message>
    <message>
        <source>You abstained from this evaluation: {reason}. It will not count in the ranking; you can still finalise it.</source>
        <translation>You abstained from this evaluation: {reason}. It will not count in the ranking; you can still finalise it.</translation>
    </message>
    <message numerus="yes">
        <source>Total so far: {total:.1f} / 100 (%n criteria to score)</source>
        <translation>
            <numerusform>Total so far: {total:.1f} / 100 (%n criterion to score)</numerusform>
            <numerusform>Total so far: {total:.1f} / 100 (%n criteria to score)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n required items are missing; complete them before finalising:</source>
        <translation>
            <numerusform>%n required item is missing; complete it before finalising:</numerusform>
            <numerusform>%n required items are missing; complete them before finalising:</numerusform>
        </translation>
    </message>
    <message>
        <source>Total: {total:.1f} / 100</source>
        <translation>Total: {total:.1f} / 100</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>not scored</translation>
    </message>
    <message>
        <source>{criterion}: {level}</source>
        <translation>{criterion}: {level}</translation>
    </message>
    <message>
        <source>Keys 1–{n} pick a level, 0 clears, arrows move between levels</source>
        <translation>Keys 1–{n} pick a level, 0 clears, arrows move between levels</translation>
    </message>
    <message>
        <source>Points for {criterion} (0–{max:g})</source>
        <translation>Points for {criterion} (0–{max:g})</translation>
    </message>
    <message>
        <source>Comment on {criterion}</source>
        <translation>Comment on {criterion}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>All changes saved {time}</source>
        <translation>All changes saved {time}</translation>
    </message>
    <message>
        <source>blank</source>
        <translation>blank</translation>
    </message>
    <message>
        <source>Score {criterion}: {value}</source>
        <translation>Score {criterion}: {value}</translation>
    </message>
    <message>
        <source>Withdraw abstention</source>
        <translation>Withdraw abstention</translation>
    </message>
    <message>
        <source>Withdraw your abstention and score this application again?</source>
        <translation>Withdraw your abstention and score this application again?</translation>
    </message>
    <message>
        <source>Abstain</source>
        <translation>Abstain</translation>
    </message>
    <message>
        <source>Why do you abstain from evaluating this application? (The reason goes in the audit trail.)</source>
        <translation>Why do you abstain from evaluating this application? (The reason goes in the audit trail.)</translation>
    </message>
    <message>
        <source>Finalise</source>
        <translation>Finalise</translation>
    </message>
    <message>
        <source>After finalising, the evaluation is locked; reopening it needs a reason that goes in the audit trail.</source>
        <translation>After finalising, the evaluation is locked; reopening it needs a reason that goes in the audit trail.</translation>
    </message>
    <message>
        <source>Optional criteria left blank: {names}</source>
        <translation>Optional criteria left blank: {names}</translation>
    </message>
    <message>
        <source>You abstained: this evaluation will not count in the ranking.</source>
        <translation>You abstained: this evaluation will not count in the ranking.</translation>
    </message>
    <message>
        <source>Finalise the evaluation of {app}?</source>
        <translation>Finalise the evaluation of {app}?</translation>
    </message>
    <message>
        <source>Evaluation of {app} finalised.</source>
        <translation>Evaluation of {app} finalised.</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>Why must this finalised evaluation change? (The reason goes in the audit trail.)</source>
        <translation>Why must this finalised evaluation change? (The reason goes in the audit trail.)</translation>
    </message>
    <message>
        <source>Attach photos</source>
        <translation>Attach photos</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.heic *.webp);;All files (*)</source>
        <translation>Images (*.jpg *.jpeg *.png *.heic *.webp);;All files (*)</translation>
    </message>
    <message>
        <source>Remove {name} from this evaluation?</source>
        <translation>Remove {name} from this evaluation?</translation>
    </message>
    <message>
        <source>Remove {name} from this visit?</source>
        <translation>Remove {name} from this visit?</translation>
    </message>
    <message>
        <source>Your visits</source>
        <translation>Your visits</translation>
    </message>
    <message>
        <source>Search your visits (Ctrl+F)</source>
        <translation>Search your visits (Ctrl+F)</translation>
    </message>
    <message>
        <source>Visit status</source>
        <translation>Visit status</translation>
    </message>
    <message>
        <source>Enter or double-click opens the visit and scoring form.</source>
        <translation>Enter or double-click opens the visit and scoring form.</translation>
    </message>
    <message>
        <source>Required action {n}</source>
        <translation>Required action {n}</translation>
    </message>
    <message>
        <source>What must be done</source>
        <translation>What must be done</translation>
    </message>
    <message>
        <source>due YYYY-MM-DD</source>
        <translation>due YYYY-MM-DD</translation>
    </message>
    <message>
        <source>Due date of action {n}</source>
        <translation>Due date of action {n}</translation>
    </message>
    <message>
        <source>Done</source>
        <comment>action</comment>
        <translation>Done</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Remove action {n}</source>
        <translation>Remove action {n}</translation>
    </message>
    <message>
        <source>Back to the list (Alt+Left). Unsaved edits are saved first.</source>
        <translation>Back to the list (Alt+Left). Unsaved edits are saved first.</translation>
    </message>
    <message>
        <source>{application} · {group} — visit {n} ({plan}), due {due}</source>
        <translation>{application} · {group} — visit {n} ({plan}), due {due}</translation>
    </message>
    <message>
        <source>Earlier visits of this project</source>
        <translation>Earlier visits of this project</translation>
    </message>
    <message>
        <source>Visit {n} ({state}): {findings}</source>
        <translation>Visit {n} ({state}): {findings}</translation>
    </message>
    <message>
        <source>Open actions: {actions}</source>
        <translation>Open actions: {actions}</translation>
    </message>
    <message>
        <source>YYYY-MM-DD HH:MM</source>
        <translation>YYYY-MM-DD HH:MM</translation>
    </message>
    <message>
        <source>Visit date and time</source>
        <translation>Visit date and time</translation>
    </message>
    <message>
        <source>Set the visit time to now</source>
        <translation>Set the visit time to now</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <source>e.g. the representative and 4 members</source>
        <translation>e.g. the representative and 4 members</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>Ratings</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>Required actions</source>
        <translation>Required actions</translation>
    </message>
    <message>
        <source>Add an action</source>
        <translation>Add an action</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>Not saved yet</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>Still needed to finalise: {items}</source>
        <translation>Still needed to finalise: {items}</translation>
    </message>
    <message>
        <source>Save the visit</source>
        <translation>Save the visit</translation>
    </message>
    <message>
        <source>The visit time must read like 2012-10-02 10:00, and each due date like 2012-10-31.</source>
        <translation>The visit time must read like 2012-10-02 10:00, and each due date like 2012-10-31.</translation>
    </message>
    <message>
        <source>Finalise the visit</source>
        <translation>Finalise the visit</translation>
    </message>
    <message>
        <source>The visit cannot be finalised yet. Still needed:</source>
        <translation>The visit cannot be finalised yet. Still needed:</translation>
    </message>
    <message>
        <source>Finalise visit {n} of {application}? It is then kept as it is and goes to the office in your next package.</source>
        <translation>Finalise visit {n} of {application}? It is then kept as it is and goes to the office in your next package.</translation>
    </message>
    <message>
        <source>Your monitoring visits</source>
        <translation>Your monitoring visits</translation>
    </message>
    <message>
        <source>Enter or double-click opens the monitoring visit form.</source>
        <translation>Enter or double-click opens the monitoring visit form.</translation>
    </message>
    <message>
        <source>Open visit</source>
        <translation>Open visit</translation>
    </message>
    <message>
        <source>Choose who you are in Settings to see your visits.</source>
        <translation>Choose who you are in Settings to see your visits.</translation>
    </message>
    <message numerus="yes">
        <source>%n monitoring visits · {done} finalised</source>
        <translation>
            <numerusform>%n monitoring visit · {done} finalised</numerusform>
            <numerusform>%n monitoring visits · {done} finalised</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n visits · {started} in progress · {done} finalised</source>
        <translation>
            <numerusform>%n visit · {started} in progress · {done} finalised</numerusform>
            <numerusform>%n visits · {started} in progress · {done} finalised</numerusform>
        </translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Larger text helps on a laptop in sunlight.</source>
        <translation>Larger text helps on a laptop in sunlight.</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Font size</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>{language} (this session, from --lang); saved: {saved}</source>
        <translation>{language} (this session, from --lang); saved: {saved}</translation>
    </message>
    <message>
        <source>Start in {language} from now on</source>
        <translation>Start in {language} from now on</translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation>Choose the data folder</translation>
    </message>
    <message>
        <source>New databases, backups and exports are suggested in this folder.</source>
        <translation>New databases, backups and exports are suggested in this folder.</translation>
    </message>
    <message>
        <source>Who is working</source>
        <translation>Who is working</translation>
    </message>
    <message>
        <source>Choose or add the person working with “Who is working?” at the top of the window.</source>
        <translation>Choose or add the person working with “Who is working?” at the top of the window.</translation>
    </message>
    <message>
        <source>(not an evaluator)</source>
        <translation>(not an evaluator)</translation>
    </message>
    <message>
        <source>I evaluate as</source>
        <translation>I evaluate as</translation>
    </message>
    <message>
        <source>This database&apos;s key: {fp}</source>
        <translation>This database&apos;s key: {fp}</translation>
    </message>
    <message>
        <source>No keys yet (they are made with the field kits).</source>
        <translation>No keys yet (they are made with the field kits).</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Keys</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Encrypted database</source>
        <translation>Encrypted database</translation>
    </message>
    <message>
        <source>{name} is encrypted (or is not a database at all). Its passphrase:</source>
        <translation>{name} is encrypted (or is not a database at all). Its passphrase:</translation>
    </message>
    <message>
        <source>column {column}</source>
        <translation>column {column}</translation>
    </message>
    <message>
        <source>The database is in use by another program.</source>
        <translation>The database is in use by another program.</translation>
    </message>
    <message>
        <source>This database was written by a newer version of Maeul Evaluator.</source>
        <translation>This database was written by a newer version of Maeul Evaluator.</translation>
    </message>
    <message>
        <source>This file is not a Maeul Evaluator database.</source>
        <translation>This file is not a Maeul Evaluator database.</translation>
    </message>
    <message>
        <source>The database cannot be written.</source>
        <translation>The database cannot be written.</translation>
    </message>
    <message>
        <source>The database undid the whole change after an error; nothing was saved.</source>
        <translation>The database undid the whole change after an error; nothing was saved.</translation>
    </message>
    <message>
        <source>The database cannot be opened.</source>
        <translation>The database cannot be opened.</translation>
    </message>
    <message>
        <source>The database could not be upgraded.</source>
        <translation>The database could not be upgraded.</translation>
    </message>
    <message>
        <source>A database problem stopped the work.</source>
        <translation>A database problem stopped the work.</translation>
    </message>
    <message>
        <source>This evaluator has a declared conflict of interest with this application.</source>
        <translation>This evaluator has a declared conflict of interest with this application.</translation>
    </message>
    <message>
        <source>This evaluation is finalised and locked.</source>
        <translation>This evaluation is finalised and locked.</translation>
    </message>
    <message>
        <source>Someone else changed this in the meantime.</source>
        <translation>Someone else changed this in the meantime.</translation>
    </message>
    <message>
        <source>This cannot be done in this database.</source>
        <translation>This cannot be done in this database.</translation>
    </message>
    <message>
        <source>The input has problems; nothing was changed.</source>
        <translation>The input has problems; nothing was changed.</translation>
    </message>
    <message>
        <source>What was asked for does not exist.</source>
        <translation>What was asked for does not exist.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>The work could not be done.</source>
        <translation>The work could not be done.</translation>
    </message>
    <message>
        <source>Pick the date from a calendar</source>
        <translation>Pick the date from a calendar</translation>
    </message>
    <message>
        <source>not a date (use 2013-05-10)</source>
        <translation>not a date (use 2013-05-10)</translation>
    </message>
    <message>
        <source>no window</source>
        <translation>no window</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>no cap</translation>
    </message>
    <message>
        <source>{amount} won</source>
        <translation>{amount} won</translation>
    </message>
    <message>
        <source>Sign off {round}</source>
        <translation>Sign off {round}</translation>
    </message>
    <message>
        <source>The committee&apos;s sign-off ranks the round once more with the program&apos;s method, stores its decisions of record and freezes them: later rankings, imports, merges and setting changes never change them. The round is closed, and the audit trail is signed with the office key.</source>
        <translation>The committee&apos;s sign-off ranks the round once more with the program&apos;s method, stores its decisions of record and freezes them: later rankings, imports, merges and setting changes never change them. The round is closed, and the audit trail is signed with the office key.</translation>
    </message>
    <message>
        <source>e.g. the committee chair&apos;s name</source>
        <translation>e.g. the committee chair&apos;s name</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>Signed by</translation>
    </message>
    <message>
        <source>optional, e.g. the meeting&apos;s minutes number</source>
        <translation>optional, e.g. the meeting&apos;s minutes number</translation>
    </message>
    <message>
        <source>Rubric</source>
        <translation>Rubric</translation>
    </message>
    <message>
        <source>Eligibility and support rules</source>
        <translation>Eligibility and support rules</translation>
    </message>
    <message>
        <source>Intake window</source>
        <translation>Intake window</translation>
    </message>
    <message>
        <source>Quota and budget per track</source>
        <translation>Quota and budget per track</translation>
    </message>
    <message>
        <source>Open intake</source>
        <translation>Open intake</translation>
    </message>
    <message>
        <source>Close intake</source>
        <translation>Close intake</translation>
    </message>
    <message>
        <source>Sign off…</source>
        <translation>Sign off…</translation>
    </message>
    <message>
        <source>Rolling intake</source>
        <translation>Rolling intake</translation>
    </message>
    <message>
        <source>ranked by {method}</source>
        <translation>ranked by {method}</translation>
    </message>
    <message>
        <source>{round} was signed off on {when} by {by}. Its decisions are frozen: later rankings, imports and merges do not change them (an override needs its written reason).</source>
        <translation>{round} was signed off on {when} by {by}. Its decisions are frozen: later rankings, imports and merges do not change them (an override needs its written reason).</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>Note: {note}</translation>
    </message>
    <message>
        <source>{round}: intake open; not signed off.</source>
        <translation>{round}: intake open; not signed off.</translation>
    </message>
    <message>
        <source>{round}: intake closed; not signed off.</source>
        <translation>{round}: intake closed; not signed off.</translation>
    </message>
    <message>
        <source>{round}: {status}.</source>
        <translation>{round}: {status}.</translation>
    </message>
    <message>
        <source>Sign off {round} as {by}? Its decisions of record are then frozen.</source>
        <translation>Sign off {round} as {by}? Its decisions of record are then frozen.</translation>
    </message>
    <message>
        <source>This cannot be undone; a later change to one of its decisions is an override with a written reason.</source>
        <translation>This cannot be undone; a later change to one of its decisions is an override with a written reason.</translation>
    </message>
    <message>
        <source>{round} is signed off; its decisions are frozen.</source>
        <translation>{round} is signed off; its decisions are frozen.</translation>
    </message>
    <message>
        <source>Signing off {round}</source>
        <translation>Signing off {round}</translation>
    </message>
    <message>
        <source>open</source>
        <translation>open</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>closed</translation>
    </message>
    <message>
        <source>signed off</source>
        <translation>signed off</translation>
    </message>
    <message>
        <source>{round} ({status})</source>
        <translation>{round} ({status})</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Program shown</source>
        <translation>Program shown</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>Round</translation>
    </message>
    <message>
        <source>Round shown</source>
        <translation>Round shown</translation>
    </message>
</context>
</TS>
