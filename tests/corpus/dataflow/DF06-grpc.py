"""Data flow: gRPC servicers (grpcio, grpc.aio, grpclib) receive the peer's request."""
import pickle
from concurrent import futures

import grpc
import torch

import model_pb2
import model_pb2_grpc
from grpclib.server import Stream

from .inference_grpc import InferenceBase


class ModelStore(model_pb2_grpc.ModelStoreServicer):
    def __init__(self, checkpoint):
        # __init__ is not an RPC: its argument comes from the server's own code
        # expect: LL201:warning
        self.model = torch.load(checkpoint)

    def UploadModel(self, request, context):
        # expect: LL101:error
        model = pickle.loads(request.payload)
        return model_pb2.UploadReply(name=type(model).__name__)

    def LoadCheckpoint(self, req, context):
        # an RPC named in UpperCamelCase: its first argument is the request,
        # whatever it is called; a local variable keeps the taint
        path = req.path
        blob = open(path, "rb").read()
        # expect: LL101:error
        state = pickle.loads(blob)
        return model_pb2.LoadReply(ok=bool(state))

    def StreamChunks(self, request_iterator, context):
        # a client-streaming RPC: each message of the iterator is the peer's
        for chunk in request_iterator:
            # expect: LL101:error
            pickle.loads(chunk.data)

    def _restore(self, snapshot):
        # a private helper: not an RPC, so its argument is not the peer's
        # expect: LL101:warning
        return pickle.loads(snapshot)


class AsyncModelStore(model_pb2_grpc.ModelStoreServicer):
    async def UploadModel(self, request: model_pb2.UploadRequest, context: grpc.aio.ServicerContext):
        # expect: LL101:error
        return pickle.loads(request.payload)


class Inference(InferenceBase):
    async def Predict(self, stream: Stream) -> None:
        request = await stream.recv_message()
        # expect: LL201:error
        model = torch.load(request.model_path)
        await stream.send_message(model)


async def handle(stream: Stream) -> None:
    message = await stream.recv_message()
    # expect: LL101:error
    pickle.loads(message.blob)


protos, services = grpc.protos_and_services("model.proto")


class RuntimeStore(services.ModelStoreServicer):
    """A servicer base built at run time from the .proto file (no codegen)."""

    def UploadModel(self, request, context):
        # expect: LL101:error
        return pickle.loads(request.payload)


class NotAServicer:
    """Same method shape, but the class does not derive from a servicer."""

    def UploadModel(self, request, context):
        # expect: LL101:warning
        return pickle.loads(request.payload)


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    model_pb2_grpc.add_ModelStoreServicer_to_server(ModelStore("/srv/model.pt"), server)
    server.add_insecure_port("[::]:50051")
    server.start()
    # ok: LL101
    local = pickle.dumps({"started": True})
    return server, local
