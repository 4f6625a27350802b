"""Near miss for DF10: a function called handler in a module that is not a Lambda module."""
import pickle


def handler(event, context):
    # an event callback of some other framework: nothing here imports boto3,
    # botocore or Powertools, so "handler" alone does not make it a Lambda
    # expect: LL101:warning
    return pickle.loads(event.payload)


def lambda_handler(event, context):
    # lambda_handler is AWS's own default name: a source in any module
    # expect: LL101:error
    return pickle.loads(event["body"])


def main():
    # ok: LL101
    return pickle.dumps({"ok": True})
