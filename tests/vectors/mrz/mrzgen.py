# An independent MRZ builder (9303 check digits, layouts) for the vectors.
# Independent MRZ builder (Python) for constructing test vectors.
V={**{str(i):i for i in range(10)},**{chr(65+i):10+i for i in range(26)},'<':0}
def cd(s): return str(sum(V[c]*[7,3,1][i%3] for i,c in enumerate(s))%10)
def pad(s,n): assert len(s)<=n,(s,n); return s+'<'*(n-len(s))
def name(sur,giv,n): return pad(sur+('<<'+giv if giv else ''),n)
def td3(code,st,sur,giv,num,nat,b,sex,e,pn,pnc=None,docck=None,bc=None,ec=None,comp=None):
    l1=pad(code,2)+st+name(sur,giv,39)
    n=pad(num,9); pnf=pad(pn,14)
    if pnc is None: pnc=cd(pnf) if pn else '<'
    l2=n+(docck or cd(n))+nat+b+(bc or cd(b))+sex+e+(ec or cd(e))+pnf+pnc
    l2+= comp or cd(l2[0:10]+l2[13:20]+l2[21:43])
    return l1+'\n'+l2
def mrva(st,sur,giv,num,nat,b,sex,e,opt,code='V<'):
    l1=code+st+name(sur,giv,39); n=pad(num,9)
    return l1+'\n'+n+cd(n)+nat+b+cd(b)+sex+e+cd(e)+pad(opt,16)
def mrvb(st,sur,giv,num,nat,b,sex,e,opt):
    l1='V<'+st+name(sur,giv,31); n=pad(num,9)
    return l1+'\n'+n+cd(n)+nat+b+cd(b)+sex+e+cd(e)+pad(opt,8)
def td2(code,st,sur,giv,num,nat,b,sex,e,opt,comp=None):
    l1=pad(code,2)+st+name(sur,giv,31)
    if len(num)>9:
        n=num[:9]; rest=num[9:]+cd(num); o=pad(rest+('<'+opt if opt else ''),7); l2=n+'<'
    else:
        n=pad(num,9); o=pad(opt,7); l2=n+cd(n)
    l2+=nat+b+cd(b)+sex+e+cd(e)+o
    l2+=comp or cd(l2[0:10]+l2[13:20]+l2[21:35])
    return l1+'\n'+l2
def td1(code,st,num,opt1,b,sex,e,nat,opt2,sur,giv,comp=None,docck=None):
    if len(num)>9:
        l1=pad(code,2)+st+num[:9]+'<'+pad(num[9:]+(docck or cd(num))+('<'+opt1 if opt1 else ''),15)
    else:
        n=pad(num,9); l1=pad(code,2)+st+n+(docck or cd(n))+pad(opt1,15)
    l2=b+cd(b)+sex+e+cd(e)+nat+pad(opt2,11)
    l2+=comp or cd(l1[5:30]+l2[0:7]+l2[8:15]+l2[18:29])
    return l1+'\n'+l2+'\n'+name(sur,giv,30)
