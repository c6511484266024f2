"""The lean loop's vocabulary projection: NumPy's BLAS on CPU, the module itself elsewhere."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
threadpoolctl = pytest.importorskip("threadpoolctl")

from multiaug.text import vocab_projection as vp  # noqa: E402


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _head(bias: bool) -> torch.nn.Linear:
    torch.manual_seed(0)
    return torch.nn.Linear(16, 300, bias=bias)


@pytest.mark.parametrize("bias", [False, True])
def test_projection_equals_the_module_on_cpu_float32(bias: bool) -> None:
    head = _head(bias)
    project = vp.vocab_projection(head)
    assert project is not head  # the NumPy route
    h = torch.randn(5, 16, generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        got, want = project(h), head(h)
    assert got.dtype == torch.float32 and got.shape == (5, 300)
    assert torch.allclose(got, want, rtol=1e-5, atol=1e-5)
    with torch.inference_mode():  # a non-contiguous hidden state is accepted too
        wide = torch.randn(16, 5, generator=torch.Generator().manual_seed(2)).T
        assert torch.allclose(project(wide), head(wide), rtol=1e-5, atol=1e-5)


def test_other_modules_and_dtypes_use_the_module_itself() -> None:
    half = _head(False).to(torch.bfloat16)
    assert vp.vocab_projection(half) is half
    wrapped = torch.nn.Sequential(_head(False))
    assert vp.vocab_projection(wrapped) is wrapped
    head = _head(False)
    project = vp.vocab_projection(head)
    with torch.inference_mode():  # a bfloat16 hidden state goes to the module (which refuses the mix)
        with pytest.raises(RuntimeError):
            project(torch.ones(2, 16, dtype=torch.bfloat16))


def test_the_transposed_copy_is_kept_and_rebuilt_when_the_weight_changes() -> None:
    head = _head(False)
    vp.vocab_projection(head)
    first = vp._TRANSPOSED[head][2]
    vp.vocab_projection(head)
    assert vp._TRANSPOSED[head][2] is first  # reused: no second copy
    with torch.no_grad():
        head.weight.mul_(2.0)  # changed in place: the version counter moves
    project = vp.vocab_projection(head)
    assert vp._TRANSPOSED[head][2] is not first
    h = torch.ones(1, 16)
    with torch.inference_mode():
        assert torch.allclose(project(h), head(h), rtol=1e-5, atol=1e-5)
    head.weight = torch.nn.Parameter(torch.zeros(300, 16))  # replaced
    with torch.inference_mode():
        assert torch.count_nonzero(vp.vocab_projection(head)(h)) == 0


def test_blas_threads_holds_numpys_pool_inside_the_block_only() -> None:
    def blas_counts() -> list[int]:
        return [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]

    np.ones(4) @ np.ones(4)  # NumPy's BLAS is loaded
    before = blas_counts()
    assert before, "NumPy's BLAS should be visible to threadpoolctl"
    with vp.blas_threads(1):
        assert set(blas_counts()) == {1}
    assert blas_counts() == before
