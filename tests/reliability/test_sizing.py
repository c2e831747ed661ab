"""Load checks sized from the capacity measured on the host they run on."""

from __future__ import annotations

from reliability import load


def test_clients_keep_the_queue_wait_within_a_share_of_the_deadline() -> None:
    """A fast host gets the full 24 clients; an AVX2-only host (0.4 article/s) gets 3, not 504s."""
    assert load.sized_clients(10.0, 24) == 24
    assert load.sized_clients(0.4, 24) == 3
    assert load.sized_clients(0.0, 24) == 2


def test_queue_drains_within_half_the_deadline() -> None:
    """The default queue of 64 stays where the host drains it in 15 s; a slow host gets less."""
    assert load.sized_queue(20.0) == load.QUEUE_SIZE
    assert load.sized_queue(1.0) == 15
    assert load.sized_queue(0.1) == load.BATCH_SIZE
