"""Background worker: receives jobs from the queue and writes results back."""

import zmq

JOBS_ADDR = "tcp://*:5557"
RESULTS_ADDR = "tcp://localhost:5558"


def run_worker():
    ctx = zmq.Context()
    jobs = ctx.socket(zmq.PULL)
    jobs.bind(JOBS_ADDR)
    results = ctx.socket(zmq.PUSH)
    results.connect(RESULTS_ADDR)
    while True:
        # UNSAFE: recv_pyobj unpickles whatever any peer on the socket sends.
        job = jobs.recv_pyobj()
        results.send_json({"id": job["id"], "status": "done"})


if __name__ == "__main__":
    run_worker()
