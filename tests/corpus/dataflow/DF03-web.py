"""Data flow: web-framework request objects and route parameters."""
import pickle

import torch
import yaml
from aiohttp import web
from django.http import HttpResponse
from django.views import View
from fastapi import FastAPI, UploadFile
from flask import Flask, request
from starlette.requests import Request
from tornado.web import RequestHandler

app = Flask(__name__)
api = FastAPI()
routes = web.RouteTableDef()


@app.route("/upload", methods=["POST"])
def flask_upload():
    # expect: LL101:error
    obj = pickle.loads(request.data)
    # expect: LL101:error
    obj2 = pickle.loads(request.get_data())
    # expect: LL101:error
    obj3 = pickle.load(request.files["model"])
    # expect: LL501:error
    cfg = yaml.load(request.form["config"], Loader=yaml.UnsafeLoader)
    return str((obj, obj2, obj3, cfg))


@app.route("/models/<name>")
def flask_route_param(name):
    # expect: LL201:error
    return torch.load("/models/" + name)


@api.post("/predict")
async def fastapi_upload(file: UploadFile):
    data = await file.read()
    # expect: LL101:error
    return pickle.loads(data)


@api.get("/load/{path}")
def fastapi_param(path: str):
    # expect: LL201:error
    return torch.load(path)


async def starlette_endpoint(req: Request):
    body = await req.body()
    # expect: LL101:error
    return pickle.loads(body)


def django_view(request):
    # expect: LL101:error
    obj = pickle.loads(request.body)
    return HttpResponse(str(obj))


class ModelView(View):
    def post(self, request):
        # expect: LL101:error
        obj = pickle.loads(request.body)
        # expect: LL101:error
        obj2 = pickle.loads(self.request.body)
        return HttpResponse(str((obj, obj2)))


class TornadoHandler(RequestHandler):
    def post(self):
        path = self.get_argument("path")
        # expect: LL201:error
        torch.load(path)
        # expect: LL101:error
        pickle.loads(self.request.body)


@routes.post("/aio")
async def aiohttp_handler(request):
    body = await request.read()
    # expect: LL101:error
    return pickle.loads(body)


def not_a_view(blob):
    # expect: LL101:warning
    return pickle.loads(blob)


@app.route("/config", methods=["POST"])
def flask_safe_yaml():
    # ok: LL501
    return yaml.safe_load(request.data)
