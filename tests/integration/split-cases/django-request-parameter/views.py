import pickle
from django.http import HttpResponse


def other(x):
    return pickle.loads(x)


#@FILLER


def upload(request):
    return request.body
