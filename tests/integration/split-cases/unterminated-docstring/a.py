import pickle


def filler_0(a, b):
    c = a + b * 0
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_1(a, b):
    c = a + b * 1
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_2(a, b):
    c = a + b * 2
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_3(a, b):
    c = a + b * 3
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_4(a, b):
    c = a + b * 4
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_5(a, b):
    c = a + b * 5
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_6(a, b):
    c = a + b * 6
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_7(a, b):
    c = a + b * 7
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_8(a, b):
    c = a + b * 8
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_9(a, b):
    c = a + b * 9
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_10(a, b):
    c = a + b * 10
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_11(a, b):
    c = a + b * 11
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_12(a, b):
    c = a + b * 12
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_13(a, b):
    c = a + b * 13
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_14(a, b):
    c = a + b * 14
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_15(a, b):
    c = a + b * 15
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_16(a, b):
    c = a + b * 16
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_17(a, b):
    c = a + b * 17
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_18(a, b):
    c = a + b * 18
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_19(a, b):
    c = a + b * 19
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_20(a, b):
    c = a + b * 20
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_21(a, b):
    c = a + b * 21
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_22(a, b):
    c = a + b * 22
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_23(a, b):
    c = a + b * 23
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_24(a, b):
    c = a + b * 24
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_25(a, b):
    c = a + b * 25
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_26(a, b):
    c = a + b * 26
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_27(a, b):
    c = a + b * 27
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_28(a, b):
    c = a + b * 28
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_29(a, b):
    c = a + b * 29
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_30(a, b):
    c = a + b * 30
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_31(a, b):
    c = a + b * 31
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_32(a, b):
    c = a + b * 32
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_33(a, b):
    c = a + b * 33
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_34(a, b):
    c = a + b * 34
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_35(a, b):
    c = a + b * 35
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_36(a, b):
    c = a + b * 36
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_37(a, b):
    c = a + b * 37
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_38(a, b):
    c = a + b * 38
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def filler_39(a, b):
    c = a + b * 39
    d = [c for _ in range(3)]
    return sum(d) + len(str(a))


def bad():
    x = """abc


def use(d):
    return pickle.loads(d)
