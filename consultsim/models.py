"""Chat models for the roles: `llm:PROVIDER:MODEL` strings, an offline test double, retries."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from consultsim.errors import UserError

RETRIES = 3
TIMEOUT_ENV = "CONSULTSIM_MODEL_TIMEOUT"
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="consultsim-model")


class GuardedModel:
    """A chat model that is retried with exponential backoff (rate limits, dropped connections)
    and given a deadline per call, so a slow endpoint ends the run as failed instead of hanging."""

    def __init__(self, model, timeout: float | None = None, retries: int = RETRIES, backoff: bool = True):  # noqa: ANN001
        self.inner = model
        self.model = model.with_retry(stop_after_attempt=retries, wait_exponential_jitter=backoff) if retries > 1 else model
        self.timeout = timeout if timeout is not None else float(os.environ.get(TIMEOUT_ENV, "120"))

    def invoke(self, messages, **kwargs):  # noqa: ANN001, ANN201
        future = _POOL.submit(self.model.invoke, messages, **kwargs)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            future.cancel()
            raise TimeoutError(f"the model did not answer within {self.timeout:g} s") from None

    def __getattr__(self, name: str):  # noqa: ANN204 - everything else is the model's
        return getattr(self.inner, name)


def fake_model(name: str):  # noqa: ANN201
    """`fake:NAME`: an offline stand-in that needs no key, for trying the wiring end to end."""
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    scripts = {
        "doctor": [
            "What brings you in today?",
            "How long has this been going on?",
            "EXAM: general physical examination and vital signs",
            "TEST: full blood count, renal function and CRP",
            "DIAGNOSIS: I am not sure\nDIFFERENTIAL: viral illness; anxiety",
        ],
        "echo": ["I see."],
    }
    if name not in scripts:
        raise UserError(f"unknown fake model {name!r}; choose from {', '.join(scripts)}")
    return FakeListChatModel(responses=scripts[name])


def chat_model(spec: str):  # noqa: ANN201
    """A LangChain chat model from `PROVIDER:MODEL` (e.g. `openai:gpt-4o-mini`, `ollama:llama3.1`),
    with retries and exponential backoff. Raises UserError for a string that cannot work."""
    provider, _, name = spec.partition(":")
    if not provider or not name:
        raise UserError(f"model {spec!r} must be PROVIDER:MODEL, e.g. openai:gpt-4o-mini or ollama:llama3.1")
    if provider == "fake":
        return GuardedModel(fake_model(name), retries=1)
    try:
        from langchain.chat_models import init_chat_model
    except ImportError:
        raise UserError("LLM roles need the llm extra: pip install 'consultsim[llm]'") from None
    try:
        model = init_chat_model(spec)
    except ImportError as err:
        raise UserError(f"model {spec!r} needs a provider package that is not installed ({err.name or err})") from None
    except Exception as err:  # noqa: BLE001 - init_chat_model raises several types for a bad string
        raise UserError(f"cannot use model {spec!r}: {err}") from None
    return GuardedModel(model)
