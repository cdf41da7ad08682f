# Regenerates the known-answer vectors from an MRZ builder written apart
# from the C code (mrzgen.py), so the C reader is checked against an
# independent oracle.  Run from the repository root: python3 tests/vectors/mrz/make_vectors.py
import os; exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'mrzgen.py')).read())
out={}
def blk(file, comment, mrz, **kv):
    lines=['# '+comment, mrz]
    issues=kv.pop('issues',[])
    for k,v in kv.items(): lines.append(f'{k}: {v}')
    for i in issues: lines.append('issue: '+i)
    out.setdefault(file,[]).append('\n'.join(lines))
def setc(m,line,col,ch):
    ls=m.split('\n'); l=ls[line-1]; ls[line-1]=l[:col-1]+ch+l[col:]; return '\n'.join(ls)
ANNA=dict(surname='ERIKSSON',given_names='ANNA MARIA')
# --- specimens
blk('specimens.txt','ICAO 9303-4 TD3 specimen','P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
    format='TD3',valid='true',document_code='P',issuing_state='UTO',**ANNA,document_number='L898902C3',nationality='UTO',birth_date='1974-08-12',sex='F',expiry_date='2012-04-15',optional_data='ZE184226B',optional_data_2='')
blk('specimens.txt','ICAO 9303-5 TD1 specimen','I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<',
    format='TD1',valid='true',document_code='I',issuing_state='UTO',**ANNA,document_number='D23145890',nationality='UTO',birth_date='1974-08-12',sex='F',expiry_date='2012-04-15',optional_data='',optional_data_2='')
blk('specimens.txt','ICAO 9303-6 TD2 specimen','I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6',
    format='TD2',valid='true',document_code='I',**ANNA,document_number='D23145890',birth_date='1974-08-12',expiry_date='2012-04-15',optional_data='')
blk('specimens.txt','ICAO 9303-7 MRV-A specimen (expiry 96 is 1996, not 2096)','V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<',
    format='MRVA',valid='true',document_code='V',issuing_state='UTO',**ANNA,document_number='L8988901C',nationality='XXX',birth_date='1940-09-07',sex='F',expiry_date='1996-12-10',optional_data='6ZE184226B')
blk('specimens.txt','ICAO 9303-7 MRV-B specimen','V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<',
    format='MRVB',valid='true',**ANNA,document_number='L8988901C',nationality='XXX',birth_date='1940-09-07',expiry_date='1996-12-10',optional_data='')
# --- regional documents
afg=td3('P','AFG','AHMADZAI','GUL AHMAD'.replace(' ','<'),'P01234567','AFG','900101','M','300214','')
blk('regional.txt','AFG passport, empty personal number with < check digit',afg,format='TD3',valid='true',issuing_state='AFG',surname='AHMADZAI',given_names='GUL AHMAD',document_number='P01234567',birth_date='1990-01-01',sex='M',expiry_date='2030-02-14',optional_data='')
pak=td3('P','PAK','KHAN','MUHAMMAD<ALI','AB1234567','PAK','851231','M','290630','3520212345671')
blk('regional.txt','PAK passport with the 13-digit CNIC in the personal number',pak,format='TD3',valid='true',issuing_state='PAK',surname='KHAN',given_names='MUHAMMAD ALI',document_number='AB1234567',nationality='PAK',birth_date='1985-12-31',expiry_date='2029-06-30',optional_data='3520212345671')
blk('regional.txt','PAK MRV-A visa for an AFG national',mrva('PAK','RAHIMI','ZARGHONA','VK1234567','AFG','950315','F','260930','KBL<MULTIPLE'),format='MRVA',valid='true',issuing_state='PAK',surname='RAHIMI',given_names='ZARGHONA',document_number='VK1234567',nationality='AFG',birth_date='1995-03-15',sex='F',expiry_date='2026-09-30',optional_data='KBL<MULTIPLE')
blk('regional.txt','PAK MRV-B visa',mrvb('PAK','NOORI','ZIA','VB7654321','AFG','010203','M','250101',''),format='MRVB',valid='true',surname='NOORI',given_names='ZIA',birth_date='2001-02-03',expiry_date='2025-01-01')
blk('regional.txt','single-name holder: no given names',td3('P','AFG','KARIMA','','P07654321','AFG','780704','F','280101',''),format='TD3',valid='true',surname='KARIMA',given_names='')
blk('regional.txt','single name written after the separator',td3('P','AFG','','KARIMA','P07654321','AFG','780704','F','280101',''),format='TD3',valid='true',surname='',given_names='KARIMA',roundtrip='yes')
blk('regional.txt','e-tazkira style TD1 with sex < (unspecified)',td1('ID','AFG','1401234567','','000229','<','300228','AFG','','AHMADI','SHABNAM'),format='TD1',valid='true',document_code='ID',document_number='1401234567',birth_date='2000-02-29',sex='X',expiry_date='2030-02-28',optional_data='',surname='AHMADI',given_names='SHABNAM')
# --- edge cases
blk('edges.txt','TD1 long document number spills into the optional data',td1('I','UTO','D23145890734','','740812','F','120415','UTO','','ERIKSSON','ANNA<MARIA'),format='TD1',valid='true',document_number='D23145890734',optional_data='')
blk('edges.txt','TD1 long number followed by optional data',td1('I','UTO','D23145890734','XY12','740812','F','120415','UTO','Z9','ERIKSSON','ANNA'),format='TD1',valid='true',document_number='D23145890734',optional_data='XY12',optional_data_2='Z9')
blk('edges.txt','TD2 long number spills too',td2('I','UTO','ERIKSSON','ANNA','D2314589073','UTO','740812','F','120415',''),format='TD2',valid='true',document_number='D2314589073')
m=td1('I','UTO','D23145890734','','740812','F','120415','UTO','','ERIKSSON','ANNA',docck='5')
blk('edges.txt','TD1 spilled number with a wrong check digit',m,format='TD1',valid='false',document_number='D23145890734',issues=['document_number_check check_digit 1 19'])
blk('edges.txt','TD1 < check digit with nothing spilled','I<UTOD23145890<<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<'+cd('D23145890<<<<<<<<<<<<<<<<'+'7408122'+'1204159'+'<'*11)+'\nERIKSSON<<ANNA<<<<<<<<<<<<<<<<',format='TD1',valid='false',document_number='D23145890',issues=['document_number_check check_digit 1 15'])
blk('edges.txt','TD3 empty personal number with 0 check digit',td3('P','UTO','ERIKSSON','ANNA','L898902C3','UTO','740812','F','120415','',pnc='0'),valid='true',optional_data='',roundtrip='no')
blk('edges.txt','TD3 < check digit on a personal number that is not empty',td3('P','UTO','ERIKSSON','ANNA','L898902C3','UTO','740812','F','120415','ZE184226B',pnc='<'),valid='false',optional_data='ZE184226B',issues=['optional_data_check check_digit 2 43'])
blk('edges.txt','birth date that would be in the future goes to the previous century',td3('P','UTO','A','B','X1','UTO','250702','M','300101',''),valid='true',birth_date='1925-07-02',today='2025-06-01')
blk('edges.txt','birth date earlier this year stays in this century',td3('P','UTO','A','B','X1','UTO','250501','M','300101',''),valid='true',birth_date='2025-05-01',today='2025-06-01')
blk('edges.txt','birth date today is not in the future',td3('P','UTO','A','B','X1','UTO','250601','M','300101',''),valid='true',birth_date='2025-06-01',today='2025-06-01')
blk('edges.txt','expiry 74 with today 2025 is 2074 (not more than 50 years ahead)',td3('P','UTO','A','B','X1','UTO','500101','M','740101',''),valid='true',expiry_date='2074-01-01',today='2025-06-01')
blk('edges.txt','expiry 76 with today 2025 is 1976',td3('P','UTO','A','B','X1','UTO','500101','M','760101',''),valid='true',expiry_date='1976-01-01',today='2025-06-01')
blk('edges.txt','birth month 13: date left empty, the rest read',td3('P','UTO','ERIKSSON','ANNA','L898902C3','UTO','741312','F','120415',''),valid='false',birth_date='null',expiry_date='2012-04-15',document_number='L898902C3',issues=['birth_date impossible_date 2 14'])
blk('edges.txt','expiry 31 February',td3('P','UTO','ERIKSSON','ANNA','L898902C3','UTO','740812','F','250231',''),valid='false',birth_date='1974-08-12',expiry_date='null',issues=['expiry_date impossible_date 2 22'])
blk('edges.txt','29 February in a common year (birth 1999)',td3('P','UTO','ERIKSSON','ANNA','L898902C3','UTO','990229','F','250101',''),valid='false',birth_date='null',issues=['birth_date impossible_date 2 14'])
blk('edges.txt','day 00',td3('P','UTO','ERIKSSON','ANNA','L898902C3','UTO','740800','F','250101',''),valid='false',birth_date='null',issues=['birth_date impossible_date 2 14'])
blk('edges.txt','sex X is kept',td3('P','UTO','A','B','X1','UTO','500101','X','300101',''),valid='true',sex='X',roundtrip='no')
blk('edges.txt','sex < reads as X',td3('P','UTO','A','B','X1','UTO','500101','<','300101',''),valid='true',sex='X')
blk('edges.txt','name with spaces in both parts',td3('P','NLD','VAN<DER<BERG','JAN<PIETER','NX1234567','NLD','600101','M','300101',''),valid='true',surname='VAN DER BERG',given_names='JAN PIETER')
blk('edges.txt','name filling the whole field (truncated)','P<UTOABCDEFGHIJKLMNOPQRST<<UVWXYZABCDEFGHIJK\n'+td3('P','UTO','A','B','L898902C3','UTO','740812','F','120415','').split('\n')[1],valid='true',surname='ABCDEFGHIJKLMNOPQRST',given_names='UVWXYZABCDEFGHIJKLMNOP'[:17])
blk('edges.txt','issuing state D<< (Germany)',td3('P','D<<','MUSTERMANN','ERIKA','C01X00T47','D<<','640812','F','270801',''),valid='true',issuing_state='D',nationality='D')
# --- every check digit failing
base=td3('P','UTO','ERIKSSON','ANNA<MARIA','L898902C3','UTO','740812','F','120415','ZE184226B')
blk('checks.txt','TD3 document number check digit',td3('P','UTO','ERIKSSON','ANNA<MARIA','L898902C3','UTO','740812','F','120415','ZE184226B',docck='7'),valid='false',document_number='L898902C3',issues=['document_number_check check_digit 2 10'])
blk('checks.txt','TD3 birth date check digit',td3('P','UTO','ERIKSSON','ANNA<MARIA','L898902C3','UTO','740812','F','120415','ZE184226B',bc='3'),valid='false',birth_date='1974-08-12',issues=['birth_date_check check_digit 2 20'])
blk('checks.txt','TD3 expiry date check digit',td3('P','UTO','ERIKSSON','ANNA<MARIA','L898902C3','UTO','740812','F','120415','ZE184226B',ec='0'),valid='false',expiry_date='2012-04-15',issues=['expiry_date_check check_digit 2 28'])
blk('checks.txt','TD3 personal number check digit',td3('P','UTO','ERIKSSON','ANNA<MARIA','L898902C3','UTO','740812','F','120415','ZE184226B',pnc='2'),valid='false',issues=['optional_data_check check_digit 2 43'])
blk('checks.txt','TD3 composite check digit',setc(base,2,44,'9'),valid='false',issues=['composite_check check_digit 2 44'])
blk('checks.txt','TD3 letter in a check digit',setc(base,2,10,'A'),valid='false',issues=['document_number_check check_digit 2 10','composite_check check_digit 2 44'])
blk('checks.txt','TD1 with a visa\'s code V (a visa has two lines, never three)',td1('VD','AFG','X12821773','','000229','F','300228','AFG','','AHMADI','SHABNAM'),format='TD1',valid='false',document_code='VD',issues=['document_code bad_code 1 1'])
blk('checks.txt','TD1 document number check digit',setc(td1('I','UTO','D23145890','','740812','F','120415','UTO','','ERIKSSON','ANNA',comp=None),1,15,'1'),format='TD1',valid='false',issues=['document_number_check check_digit 1 15','composite_check check_digit 2 30'])
blk('checks.txt','TD1 birth date check digit',td1('I','UTO','D23145890','','740812','F','120415','UTO','','ERIKSSON','ANNA').replace('7408122F','7408124F'),format='TD1',valid='false',issues=['birth_date_check check_digit 2 7','composite_check check_digit 2 30'])
blk('checks.txt','TD1 composite check digit',setc(td1('I','UTO','D23145890','','740812','F','120415','UTO','','ERIKSSON','ANNA'),2,30,'1'),format='TD1',valid='false',issues=['composite_check check_digit 2 30'])
blk('checks.txt','TD2 composite check digit','I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<7',format='TD2',valid='false',issues=['composite_check check_digit 2 36'])
blk('checks.txt','TD2 expiry check digit','I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204158<<<<<<<6',format='TD2',valid='false',issues=['expiry_date_check check_digit 2 28','composite_check check_digit 2 36'])
blk('checks.txt','MRV-A document number check digit (no composite on visas)','V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C5XXX4009078F96121096ZE184226B<<<<<<',format='MRVA',valid='false',issues=['document_number_check check_digit 2 10'])
blk('checks.txt','MRV-B birth date check digit','V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009071F9612109<<<<<<<<',format='MRVB',valid='false',issues=['birth_date_check check_digit 2 20'])
blk('checks.txt','digit in the surname','P<UTOER1KSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',valid='false',surname='ER1KSSON',issues=['surname bad_character 1 8'],suggestion='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10')
blk('checks.txt','digit in the nationality','P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UT07408122F1204159ZE184226B<<<<<10',valid='false',nationality='UT0',issues=['nationality bad_code 2 13'],suggestion='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10')
blk('checks.txt','bad sex letter',setc(base,2,21,'Q'),valid='false',sex='null',issues=['sex bad_value 2 21'])
# --- OCR repairs
blk('repair.txt','letter O in the birth date','P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO74O8122F1204159ZE184226B<<<<<10',valid='false',birth_date='null',issues=['birth_date not_a_date 2 16','birth_date_check check_digit 2 20','composite_check check_digit 2 44'],suggestion='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10')
blk('repair.txt','H read for M in the sex',setc(pak,2,21,'H'),valid='false',sex='null',issues=['sex bad_value 2 21'],suggestion=pak.replace('\n','|'))
blk('repair.txt','S read for 5 in the expiry date',setc(base,2,27,'S'),valid='false',expiry_date='null',issues=['expiry_date not_a_date 2 27','expiry_date_check check_digit 2 28','composite_check check_digit 2 44'],suggestion=base.replace('\n','|'))
blk('repair.txt','B read for 8 in the document number: LB9B902C3 passes too, so no suggestion',setc(base,2,2,'B'),valid='false',document_number='LB98902C3',issues=['document_number_check check_digit 2 10','composite_check check_digit 2 44'])
blk('repair.txt','Z read for 2 in the CNIC: three single changes pass, so no suggestion',setc(pak,2,33,'Z'),valid='false',optional_data='3520Z12345671',issues=['optional_data_check check_digit 2 43','composite_check check_digit 2 44'])
blk('repair.txt','O read for 0 in the CNIC (personal number)',setc(pak,2,32,'O'),valid='false',optional_data='352O212345671',issues=['optional_data_check check_digit 2 43','composite_check check_digit 2 44'],suggestion=pak.replace('\n','|'))
blk('repair.txt','I read for 1 in a TD1 birth date',setc(td1('I','UTO','D23145890','','740812','F','120415','UTO','','ERIKSSON','ANNA'),2,5,'I'),format='TD1',valid='false',birth_date='null',issues=['birth_date not_a_date 2 5','birth_date_check check_digit 2 7','composite_check check_digit 2 30'],suggestion=td1('I','UTO','D23145890','','740812','F','120415','UTO','','ERIKSSON','ANNA').replace('\n','|'))
blk('repair.txt','G read for 6 in an MRV-B expiry date (G and 6 weigh the same mod 10, so only the date fails)',setc(mrvb('PAK','NOORI','ZIA','VB7654321','AFG','010203','M','260101',''),2,23,'G'),format='MRVB',valid='false',expiry_date='null',issues=['expiry_date not_a_date 2 23'],suggestion=mrvb('PAK','NOORI','ZIA','VB7654321','AFG','010203','M','260101','').replace('\n','|'))
blk('repair.txt','wrong digit in the document number: no confusion explains it, no suggestion',setc(base,2,2,'7'),valid='false',issues=['document_number_check check_digit 2 10','composite_check check_digit 2 44'])
blk('repair.txt','two letters in the birth date repaired together',setc(setc(base,2,18,'I'),2,16,'O'),valid='false',birth_date='null',issues=['birth_date not_a_date 2 16','birth_date_check check_digit 2 20','composite_check check_digit 2 44'],suggestion=base.replace('\n','|'))
for f,bl in out.items():
    open('tests/vectors/mrz/'+f,'w').write('# Known-answer vectors for the MRZ reader: blocks separated by blank lines;\n# a block is the MRZ lines then "key: value" lines (see tests/test_mrz_vectors.c).\n# Dates are read against today 2025-06-01 unless the block says otherwise.\n\n'+'\n\n'.join(bl)+'\n')
print(pak)
