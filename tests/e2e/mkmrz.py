def cd(s):
    w=[7,3,1];t=0
    for i,c in enumerate(s):
        v=0 if c=='<' else (int(c) if c.isdigit() else ord(c)-55)
        t+=v*w[i%3]
    return str(t%10)
def td3(code,state,sur,given,num,nat,birth,sex,exp,opt=''):
    l1=(code+'<'+state+sur+'<<'+given.replace(' ','<')).ljust(44,'<')[:44]
    n=num.ljust(9,'<');o=opt.ljust(14,'<')
    l2=n+cd(n)+nat+birth+cd(birth)+sex+exp+cd(exp)+o+cd(o)
    comp=n+cd(n)+birth+cd(birth)+exp+cd(exp)+o+cd(o)
    l2+=cd(comp)
    return l1+'\n'+l2
print(td3('P','AFG','KHAN','AMINA','PA1234567','AFG','900101','F','300101'))
print()
v=td3('V','PAK','KHAN','AMINA','VA7654321','AFG','900101','F','240601')
print(v)
