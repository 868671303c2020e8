"""components/state.py: the session's named values and the link sync, run in a real Streamlit session."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _filters_page() -> None:
    import streamlit as st

    from components.state import filters_from_url, write_filters_to_url

    read = filters_from_url(known_actors={"mao", "zhou"}, known_places=None, known_themes=None,
                            known_events=None)
    st.write("unchanged" if read is None else f"read {sorted(read[0].actors)} ignored {len(read[1])}")
    if read is not None:
        write_filters_to_url(read[0])


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_the_filter_link_is_read_when_it_is_news_then_written_back() -> None:
    at = AppTest.from_function(_filters_page)
    at.query_params["actor"] = ["mao", "nobody"]
    at.run()
    assert not at.exception
    assert _texts(at) == ["read ['mao'] ignored 1"]  # the unknown actor is dropped and said
    assert at.query_params["actor"] == "mao"  # the link now says what is shown
    at.run()
    assert _texts(at) == ["unchanged"]  # the session wrote it: not read again
    at.query_params["actor"] = ["zhou"]  # a pasted link
    at.run()
    assert _texts(at) == ["read ['zhou'] ignored 0"]


def _present_page() -> None:
    import streamlit as st

    from components.state import KEY_PROJECTOR, KEY_SHOW_TIMELINE, toggles_from_url, toggles_to_url

    notes = toggles_from_url()
    toggles_to_url()
    st.write(f"projector={st.session_state[KEY_PROJECTOR]} timeline={st.session_state[KEY_SHOW_TIMELINE]}")
    for note in notes:
        st.write(note)


def test_the_present_toggles_read_on_and_off_and_say_what_they_ignore() -> None:
    at = AppTest.from_function(_present_page)
    at.query_params["projector"] = "OFF"
    at.query_params["timeline"] = "maybe"
    at.run()
    assert not at.exception
    texts = _texts(at)
    assert texts[0] == "projector=False timeline=True"
    assert "Ignored timeline='maybe' in the link: expected on or off." in texts[1]
    assert at.query_params["projector"] == "off" and at.query_params["timeline"] == "on"


def _document_page() -> None:
    import streamlit as st

    from components.state import document_from_url, write_document_to_url

    wanted = document_from_url()
    st.write(f"wanted {wanted}")
    if wanted is not None:
        write_document_to_url(wanted)


def test_the_document_link_is_read_once() -> None:
    at = AppTest.from_function(_document_page)
    at.query_params["doc"] = "letter-1962"
    at.run()
    assert _texts(at) == ["wanted letter-1962"]
    at.run()
    assert _texts(at) == ["wanted None"]  # this session wrote it
    assert at.query_params["doc"] == "letter-1962"
    at.query_params["doc"] = "reply-1962"  # another link
    at.run()
    assert _texts(at) == ["wanted reply-1962"]
