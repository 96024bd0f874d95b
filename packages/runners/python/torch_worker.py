"""ortbench's PyTorch worker: runs a TorchScript module for the `torch` runner.

Spoken to over stdin/stdout in frames: a 4-byte little-endian length, a JSON header, then the
raw bytes of each tensor the header lists (`tensors: [{dtype, dims, nbytes}]`) — no numbers as
JSON text. Requests: hello (implicit, on start), load, run, exit. Every reply has `ok`; a failure
has `error` (one line) and `kind`. The forward call is timed here, around the call alone.
"""
import json
import struct
import sys
import time

DTYPES = {}


def read_exact(stream, size):
    chunks = []
    while size > 0:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError("the host closed the pipe")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_message(stream):
    (length,) = struct.unpack("<I", read_exact(stream, 4))
    header = json.loads(read_exact(stream, length))
    blobs = [read_exact(stream, t["nbytes"]) for t in header.get("tensors", [])]
    return header, blobs


def write_message(stream, header, blobs=()):
    body = json.dumps(header).encode("utf-8")
    stream.write(struct.pack("<I", len(body)))
    stream.write(body)
    for blob in blobs:
        stream.write(blob)
    stream.flush()


def first_line(error):
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:500]


def to_tensor(torch, spec, blob, device):
    dtype = DTYPES[spec["dtype"]]
    tensor = torch.frombuffer(bytearray(blob), dtype=dtype) if blob else torch.empty(0, dtype=dtype)
    return tensor.reshape(spec["dims"]).to(device)


def flatten(outputs):
    """A module may return a tensor, a tuple/list of them, or a dict: outputs in order."""
    if isinstance(outputs, dict):
        return list(outputs.values())
    if isinstance(outputs, (tuple, list)):
        flat = []
        for item in outputs:
            flat.extend(flatten(item))
        return flat
    return [outputs]


def blas_library():
    """The BLAS this process really loaded: Debian's PyTorch uses whichever libblas.so.3 is installed."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line or "libmkl" in line}
    except OSError:
        return None
    return sorted(p for p in paths if p.startswith("/"))[0] if paths else None


def openblas_core(path):
    """OpenBLAS's kernel family (Haswell, SkylakeX, … or a generic Prescott when it mis-detects a CPU)."""
    if not path or "openblas" not in path:
        return None
    try:
        import ctypes

        library = ctypes.CDLL(path)
        library.openblas_get_corename.restype = ctypes.c_char_p
        return library.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return None


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Anything the model prints must not corrupt the frames.
    sys.stdout = sys.stderr
    try:
        import torch
    except Exception as error:  # noqa: BLE001 — reported to the host as the reason
        write_message(stdout, {"ok": False, "kind": "import", "error": first_line(error)})
        return
    DTYPES.update({"float32": torch.float32, "float16": torch.float16, "float64": torch.float64, "int64": torch.int64, "int32": torch.int32, "int8": torch.int8, "uint8": torch.uint8, "bool": torch.bool})
    names = {value: key for key, value in DTYPES.items()}
    blas = blas_library()
    write_message(stdout, {"ok": True, "torch": torch.__version__, "python": sys.version.split()[0], "cuda": torch.cuda.is_available(), "blas": blas, "blasCore": openblas_core(blas)})
    model, device, order = None, "cpu", None
    while True:
        try:
            header, blobs = read_message(stdin)
        except EOFError:
            return
        op = header.get("op")
        try:
            if op == "exit":
                write_message(stdout, {"ok": True})
                return
            if op == "load":
                device = header.get("device", "cpu")
                if header.get("threads"):
                    torch.set_num_threads(int(header["threads"]))
                extra = {"ortbench.json": ""}
                model = torch.jit.load(header["path"], map_location=device, _extra_files=extra)
                model.eval()
                meta = json.loads(extra["ortbench.json"]) if extra["ortbench.json"] else {}
                order = meta.get("inputs")
                try:
                    arity = len(model.forward.schema.arguments) - 1  # without self
                except Exception:  # noqa: BLE001 — a module without a schema: positional, unchecked
                    arity = None
                write_message(stdout, {"ok": True, "threads": torch.get_num_threads(), "device": device, "inputs": order, "outputs": meta.get("outputs"), "arity": arity})
            elif op == "run":
                specs = header["tensors"]
                tensors = {spec["name"]: to_tensor(torch, spec, blob, device) for spec, blob in zip(specs, blobs)}
                args = [tensors[name] for name in order] if order else [tensors[spec["name"]] for spec in specs]
                with torch.inference_mode():
                    if device != "cpu":
                        torch.cuda.synchronize()
                    start = time.perf_counter_ns()
                    outputs = model(*args)
                    if device != "cpu":
                        torch.cuda.synchronize()
                    elapsed = time.perf_counter_ns() - start
                flat = flatten(outputs)
                if header.get("discard"):
                    write_message(stdout, {"ok": True, "ns": elapsed, "tensors": []})
                else:
                    host = [t.detach().contiguous().cpu() for t in flat]
                    blobs_out = [t.numpy().tobytes() for t in host]
                    specs_out = [{"dtype": names.get(t.dtype, str(t.dtype)), "dims": list(t.shape), "nbytes": len(b)} for t, b in zip(host, blobs_out)]
                    write_message(stdout, {"ok": True, "ns": elapsed, "tensors": specs_out}, blobs_out)
            else:
                write_message(stdout, {"ok": False, "kind": "protocol", "error": f"unknown request {op!r}"})
        except Exception as error:  # noqa: BLE001 — every failure goes back as one line
            write_message(stdout, {"ok": False, "kind": op or "protocol", "error": first_line(error)})


if __name__ == "__main__":
    main()
