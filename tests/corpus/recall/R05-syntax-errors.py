"""Valid Python that tree-sitter-python does not read must not hide the
statements around it."""
import pickle


def starred_tuple(x, blob):
    a, *b = x, *[]
    # expect: LL101
    return pickle.loads(blob)


def after_it(blob):
    # expect: LL101
    return pickle.loads(blob)


def fine(blob):
    # ok: LL101 (dumping is not loading)
    return pickle.dumps(blob)
