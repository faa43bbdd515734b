"""No network use at all: every UI test runs with socket connections forbidden (see conftest's
``no_network``); this test checks the guard itself and walks every screen of both modes."""

from __future__ import annotations

import socket

import pytest


def test_the_guard_catches_a_connection(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=0.01)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(OSError):
            s.connect(("192.0.2.1", 80))
    finally:
        s.close()
    assert len(no_network) == 2
    no_network.clear()  # this test made them on purpose


def test_every_screen_of_both_modes_works_offline(demo_store, field_store, make_window, no_network):
    office = make_window(demo_store)
    for key in office.screens:
        office.show_screen(key)
    field = make_window(field_store)
    today = field.screens["today"]
    form = today.open_application(today.model.record(0).application_id)
    form.user_set_value(form.rubric.criteria[0].code, form.rubric.levels[0].key)
    form.closed.emit()
    field.show_screen("handback")
    assert no_network == []
