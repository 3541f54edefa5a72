"""Nothing leaves the machine: third-party runtimes that phone home are switched off.

ONNX Runtime (1.29+) writes a device id and a queue of usage events under
~/.cache/Microsoft/DeveloperTools and uploads them; `import st_nlp` opts out before the
runtime loads. The check runs a real ONNX Runtime session in a fresh process with its own home
folder and looks for anything the runtime wrote there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import onnx
from onnx import TensorProto, helper

SCRIPT = """
import sys
import st_nlp  # first, as every st-nlp entry point does
import numpy as np
import onnxruntime as ort

session = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
session.run(None, {"x": np.ones((1, 2), dtype=np.float32)})
"""


def _identity_model(path: Path) -> Path:
    tensor = helper.make_tensor_value_info
    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "identity",
        [tensor("x", TensorProto.FLOAT, [1, 2])],
        [tensor("y", TensorProto.FLOAT, [1, 2])],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    return path


def test_onnx_runtime_writes_no_telemetry(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORT_", "XDG_"))}
    env["HOME"] = str(home)
    model = _identity_model(tmp_path / "identity.onnx")
    subprocess.run([sys.executable, "-c", SCRIPT, str(model)], env=env, check=True, timeout=120)
    assert [p.relative_to(home) for p in home.rglob("*")] == []
