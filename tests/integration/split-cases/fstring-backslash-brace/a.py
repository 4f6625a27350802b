import pickle


def filler_0(values):
    total = 0
    for v in values:
        total += v * 0
    return total


def filler_1(values):
    total = 0
    for v in values:
        total += v * 1
    return total


def filler_2(values):
    total = 0
    for v in values:
        total += v * 2
    return total


def filler_3(values):
    total = 0
    for v in values:
        total += v * 3
    return total


def filler_4(values):
    total = 0
    for v in values:
        total += v * 4
    return total


def filler_5(values):
    total = 0
    for v in values:
        total += v * 5
    return total


def filler_6(values):
    total = 0
    for v in values:
        total += v * 6
    return total


def filler_7(values):
    total = 0
    for v in values:
        total += v * 7
    return total


def filler_8(values):
    total = 0
    for v in values:
        total += v * 8
    return total


def filler_9(values):
    total = 0
    for v in values:
        total += v * 9
    return total


def filler_10(values):
    total = 0
    for v in values:
        total += v * 10
    return total


def filler_11(values):
    total = 0
    for v in values:
        total += v * 11
    return total


def filler_12(values):
    total = 0
    for v in values:
        total += v * 12
    return total


def filler_13(values):
    total = 0
    for v in values:
        total += v * 13
    return total


def filler_14(values):
    total = 0
    for v in values:
        total += v * 14
    return total


def filler_15(values):
    total = 0
    for v in values:
        total += v * 15
    return total


def filler_16(values):
    total = 0
    for v in values:
        total += v * 16
    return total


def filler_17(values):
    total = 0
    for v in values:
        total += v * 17
    return total


def filler_18(values):
    total = 0
    for v in values:
        total += v * 18
    return total


def filler_19(values):
    total = 0
    for v in values:
        total += v * 19
    return total


def filler_20(values):
    total = 0
    for v in values:
        total += v * 20
    return total


def filler_21(values):
    total = 0
    for v in values:
        total += v * 21
    return total


def filler_22(values):
    total = 0
    for v in values:
        total += v * 22
    return total


def filler_23(values):
    total = 0
    for v in values:
        total += v * 23
    return total


def filler_24(values):
    total = 0
    for v in values:
        total += v * 24
    return total


def filler_25(values):
    total = 0
    for v in values:
        total += v * 25
    return total


def filler_26(values):
    total = 0
    for v in values:
        total += v * 26
    return total


def filler_27(values):
    total = 0
    for v in values:
        total += v * 27
    return total


def filler_28(values):
    total = 0
    for v in values:
        total += v * 28
    return total


def filler_29(values):
    total = 0
    for v in values:
        total += v * 29
    return total


def filler_30(values):
    total = 0
    for v in values:
        total += v * 30
    return total


def filler_31(values):
    total = 0
    for v in values:
        total += v * 31
    return total


def filler_32(values):
    total = 0
    for v in values:
        total += v * 32
    return total


def filler_33(values):
    total = 0
    for v in values:
        total += v * 33
    return total


def filler_34(values):
    total = 0
    for v in values:
        total += v * 34
    return total


def filler_35(values):
    total = 0
    for v in values:
        total += v * 35
    return total


def filler_36(values):
    total = 0
    for v in values:
        total += v * 36
    return total


def filler_37(values):
    total = 0
    for v in values:
        total += v * 37
    return total


def filler_38(values):
    total = 0
    for v in values:
        total += v * 38
    return total


def filler_39(values):
    total = 0
    for v in values:
        total += v * 39
    return total


def g(d):
    return f"\{d["""
'''"""]}"


import yaml


def h(x):
    return yaml.load(x)

# '''
