"""Data flow: AWS Lambda handlers receive the triggering event."""
import base64
import pickle

import boto3
import joblib
import torch
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.utilities.data_classes import SQSEvent, event_source
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

s3 = boto3.client("s3")
app = APIGatewayRestResolver()
logger = Logger()
tracer = Tracer()


def handler(event, context):
    # the conventional handler name, in a module that uses boto3
    body = base64.b64decode(event["body"])
    # expect: LL101:error
    return pickle.loads(body)


@app.post("/models/<name>")
def upload_model(name: str):
    # a route of the Powertools resolver: the path parameter and the event
    # expect: LL201:error
    model = torch.load("/tmp/" + name)
    payload = app.current_event.body
    # expect: LL101:error
    return {"model": str(model), "obj": str(pickle.loads(payload))}


@logger.inject_lambda_context(log_event=True)
@tracer.capture_lambda_handler
def api_entry(event, context):
    # any name: the Powertools decorators mark the Lambda handler
    # expect: LL105:error
    joblib.load(event["queryStringParameters"]["model"])
    return app.resolve(event, context)


@event_source(data_class=SQSEvent)
def queue_entry(event: SQSEvent, context):
    for record in event.records:
        # expect: LL101:error
        pickle.loads(base64.b64decode(record.body))


def record_handler(record: SQSRecord):
    # a batch record handler, known by its Powertools annotation
    # expect: LL101:error
    return pickle.loads(record.body)


def load_default(path):
    # a plain helper of the Lambda module: not a handler, the caller is unknown
    # expect: LL201:warning
    return torch.load(path)


def warm_up():
    # ok: LL201
    return torch.load("/opt/model.pt", weights_only=True)
