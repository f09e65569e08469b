"""The shipped price catalogue (``scenarios/prices.yaml``): cloud instances, storage, labelling and
people, each with its public source. Cost models receive it (``CostModel.from_dict(...,
prices=price_catalogue())``); they never read it themselves."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from ..models.cost import Prices
from . import yamlcache


@lru_cache(maxsize=1)
def price_catalogue() -> Prices:
    """The catalogue, parsed with a safe loader once per process (read-only)."""
    raw = resources.files(__package__ + ".scenarios").joinpath("prices.yaml").read_text("utf-8")
    return MappingProxyType(yamlcache.load(raw))
