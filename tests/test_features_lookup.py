import numpy as np
import pytest

from trainer.features.lookup import IntLookup


@pytest.mark.parametrize("size", [0, 1, 7, 1000, 50_000])
def test_lookup_equals_a_dict(size):
    rng = np.random.default_rng(size)
    keys = rng.choice(10 * size + 10, size=size, replace=False).astype(np.int64)
    values = rng.integers(0, 1 << 40, size=size)
    table = IntLookup(keys, values)
    queries = np.concatenate([keys, rng.integers(0, 20 * size + 20, size=3 * size + 5), [0, 2**62]])
    expected = dict(zip(keys.tolist(), values.tolist(), strict=True))
    assert table.get(queries).tolist() == [expected.get(q, -1) for q in queries.tolist()]
    assert table.get(queries, default=-7)[-1] == -7


def test_keys_that_share_a_slot_are_all_found():
    keys = np.arange(0, 64 << 20, 1 << 20, dtype=np.int64)  # spaced as n-gram keys often are
    table = IntLookup(keys, keys // 2)
    assert table.get(keys).tolist() == (keys // 2).tolist()
    assert table.get(keys + 1).tolist() == [-1] * len(keys)


@pytest.mark.parametrize("values", [[], [5], [3, 1, 3, 2, 2], [-4, 7, -4, 0]])
def test_distinct_equals_numpy_unique(values):
    from trainer.features.lookup import distinct

    assert distinct(np.array(values, dtype=np.int64)).tolist() == np.unique(values).tolist()


@pytest.mark.parametrize("high", [100, 2**31 - 1, 2**31, 2**62])
def test_lookup_on_keys_and_values_that_fit_in_32_bits_or_not(high):
    rng = np.random.default_rng(high % 1000)
    keys = np.unique(rng.integers(0, high, size=5000)).astype(np.int64)
    keys[-1] = high - 1
    values = rng.integers(-1, high, size=len(keys))
    table = IntLookup(keys, values)
    assert table.get(keys).tolist() == values.tolist()
    misses = np.setdiff1d(rng.integers(0, high, size=5000), keys)
    assert (table.get(misses) == -1).all() and (table.get(misses, default=-9) == -9).all()


def test_a_cluster_at_the_end_of_the_table_walks_past_it_without_wrapping():
    table = IntLookup(np.arange(20), np.arange(20))  # a table of the size of the one below
    candidates = np.arange(1, 400_000)
    last = candidates[table._slots(candidates) == (1 << table._bits) - 1]  # all want the last slot
    keys, absent = last[:20], last[20:40]
    table = IntLookup(keys, np.arange(len(keys)))
    assert len(absent) == 20 and table.get(keys).tolist() == list(range(20))
    assert table.get(absent).tolist() == [-1] * 20
