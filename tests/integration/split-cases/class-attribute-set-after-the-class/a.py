import pickle


class Holder:
    #@METHODS

    def use(self, blob):
        return self.dec(blob)


class Paired:
    #@METHODS

    def __init__(self):
        self.reader, self.limit = pickle.load, 10

    def use(self, fh):
        return self.reader(fh)


def through_an_instance(blob):
    return Holder().dec(blob)


Holder.dec = pickle.loads


class Other:
    #@METHODS

    def use(self, blob):
        return self.conv(blob)


class Setter:
    #@METHODS

    def install(self):
        Other.conv = pickle.loads


class Third:
    #@METHODS

    def use(self, blob):
        return self.parse(blob)


def install():
    Third.parse = pickle.loads
