"""The machine-readable index of the Alternative Provision policy (apcompliance.policy.document)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apcompliance.errors import PolicyIndexError
from apcompliance.policy.document import (
    SECTION_TITLES,
    Clause,
    Policy,
    load_policy,
    normalise_space,
    parse_policy,
)

TITLES = {
    "A": "Introduction",
    "B": "Legal framework",
    "C": "Roles and Responsibilities",
    "D": "Purpose of alternative provision",
    "E": "Planning for alternative provision",
    "F": "Good Alternative Provision",
    "G": "Quality Assurance – Choosing Appropriate Alternative Provision",
    "H": "Referral process for Off-site direction",
    "I": "Arranging provision for suspended pupils",
    "J": "In-school unit",
    "K": "Unregistered alternative provision",
    "L": "Pupils with additional needs",
    "M": "Communication with providers",
    "N": "Monitoring academic progress, behaviour and welfare",
    "O": "Monitoring attendance",
    "P": "Free school meals (FSM)",
    "Q": "Reintegration",
    "R": "Monitoring and Review",
    "S": "Supporting Documentation",
}

BEFORE_DECIDING = "Before deciding to refer off-site"
UNITS_REGISTERED = "Units only intended for registered pupils"
UNITS_ADMISSION = (
    "Units for the admission of pupils not already on the schools’ admissions register"
)


def _source() -> str:
    try:
        return (files("apcompliance") / "data/alternative-provision-policy.txt").read_text(
            encoding="utf-8"
        )
    except (NotADirectoryError, TypeError):  # namespace package under an editable install
        import apcompliance.policy.document as module

        path = Path(module.__file__).parent / "data/alternative-provision-policy.txt"
        return path.read_text(encoding="utf-8")


SOURCE = _source()


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def _text(policy: Policy, clause_id: str) -> str:
    return policy.clause(clause_id).text


def _ids(policy: Policy, letter: str) -> list[str]:
    return list(policy.sections[letter].clause_ids)


# --------------------------------------------------------------------------- sections


def test_title_and_sections(policy: Policy) -> None:
    assert policy.title == "Alternative Provision Policy"
    assert list(policy.sections) == list("ABCDEFGHIJKLMNOPQRS")
    assert {k: s.title for k, s in policy.sections.items()} == TITLES
    assert dict(SECTION_TITLES) == TITLES
    for letter, section in policy.sections.items():
        assert section.letter == letter
        assert section.clause_ids, letter


def test_sections_partition_clauses_in_document_order(policy: Policy) -> None:
    in_sections = [cid for s in policy.sections.values() for cid in s.clause_ids]
    assert in_sections == [c.id for c in policy.clauses()]
    for clause in policy.clauses():
        assert policy.section_of(clause.id).letter == clause.section == clause.id.split(".")[0]


def test_load_policy_is_cached_and_shareable() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: load_policy(), range(16)))
    assert all(result is results[0] for result in results)
    with pytest.raises((AttributeError, TypeError)):
        results[0].sections["Z"] = None  # type: ignore[index]
    with pytest.raises(AttributeError):
        results[0].title = "Another policy"  # type: ignore[misc]


# --------------------------------------------------------------------------- specific ids


def test_section_a_title_run_into_first_paragraph(policy: Policy) -> None:
    assert _ids(policy, "A") == ["A.1", "A.2"]
    assert _text(policy, "A.1").startswith("Alternative provision is educational provision")
    assert _text(policy, "A.2").startswith("This guidance outlines the key aspects")


def test_section_b_legislation_bullets(policy: Policy) -> None:
    assert policy.clause("B.1").text.endswith("including, but not limited to, the following:")
    items = policy.clause("B.1").children
    assert items == tuple(f"B.1.{n}" for n in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii"))
    assert _text(policy, "B.1.i") == "Education and Inspections Act 2006"
    assert _text(policy, "B.1.v") == "DfE (2025) ‘Alternative Provision’"
    assert _text(policy, "B.1.viii") == "DfE (2024) ‘Behaviour in Schools’"


def test_section_c_roles_and_bullets(policy: Policy) -> None:
    roles = [cid for cid in _ids(policy, "C") if policy.clause(cid).kind == "paragraph"]
    assert roles == [f"C.{n}" for n in range(1, 8)]
    expected = {
        "C.1": ("The Headteacher will be responsible for:", 4),
        "C.2": ("The SLT will be responsible for:", 3),
        "C.3": ("The alternative provision lead will be responsible for:", 3),
        "C.4": ("The DSL will be responsible for:", 3),
        "C.5": ("The designated mental health lead will be responsible for:", 2),
        "C.6": ("The attendance lead will be responsible for:", 2),
        "C.7": ("The SENCO will be responsible for:", 1),
    }
    for cid, (text, count) in expected.items():
        clause = policy.clause(cid)
        assert clause.text == text
        assert len(clause.children) == count
    assert _text(policy, "C.1.i").startswith("Taking overall responsibility of the school’s use")
    assert _text(policy, "C.1.iv").startswith("Sharing the relevant information")
    assert _text(policy, "C.4.ii").startswith("Ensuring that all adults at the provision")
    assert _text(policy, "C.6.ii") == (
        "Providing attendance updates to the alternative provision lead and headteacher "
        "on a weekly basis. ."
    )
    assert _text(policy, "C.7.i").startswith("Giving alternative provision providers details")


def test_section_d(policy: Policy) -> None:
    assert _text(policy, "D.1").startswith("The Trust recognises that mainstream education")
    assert _text(policy, "D.3").endswith("including but not limited to:")
    assert len(policy.clause("D.3").children) == 7
    assert _text(policy, "D.3.vii") == "Fulfilling the school's legal obligations."


def test_section_e_without_bookmark(policy: Policy) -> None:
    assert [c for c in _ids(policy, "E") if "." not in c[2:]] == [f"E.{n}" for n in range(1, 8)]
    assert _text(policy, "E.1") == (
        "The LA will be responsible for having a strategic plan in place for alternative "
        "provision in the area. This plan will include:"
    )
    assert len(policy.clause("E.1").children) == 7
    assert _text(policy, "E.1.ii") == "Funding arrangements."
    assert _text(policy, "E.2").startswith("The school will collaborate with the LA")
    assert _text(policy, "E.7").startswith("Full records of all alternative provision placements")


def test_section_f(policy: Policy) -> None:
    assert _text(policy, "F.1").startswith("The framework surrounding alternative provision")
    assert _text(policy, "F.3") == "Staff providing alternative provision will:"
    assert _text(policy, "F.3.v") == "Have undertaken all necessary safeguarding checks."
    assert _text(policy, "F.5").startswith("Pupils will be given the opportunity")


def test_section_g_parts(policy: Policy) -> None:
    assert _ids(policy, "G") == [
        "G.0",
        "G.1",
        "G.2",
        *(f"G.2.{n}" for n in range(2, 9)),
        "G.3",
        "G.3.i",
        "G.3.ii",
        "G.4",
        "G.4.i",
        "G.4.i.a",
        "G.4.i.b",
        "G.4.ii",
        "G.5",
        "G.5.i",
        "G.5.ii",
        "G.5.iii",
        "G.5.iv",
    ]
    assert _text(policy, "G.0").startswith("Alternative provision will differ from pupil-to-pupil")
    for n in range(1, 6):
        assert policy.clause(f"G.{n}").kind == "part"
        assert policy.clause(f"G.{n}").parent is None
    assert _text(policy, "G.1").startswith("Match the provision to the learner – Commissioners")
    assert _text(policy, "G.2").startswith("Ensure learner safety – It is the responsibility")
    g22 = policy.clause("G.2.2")
    assert (g22.kind, g22.parent) == ("paragraph", "G.2")
    assert g22.text.startswith("The DSL will obtain written confirmation")
    assert _text(policy, "G.2.3").startswith("The DSL will also seek written confirmation")
    assert _text(policy, "G.2.8").startswith("The school will continue to be responsible")
    assert _text(policy, "G.4.i.a") == "one visit/meeting at the alternative provision per month or"
    assert policy.clause("G.4.i.a").parent == "G.4.i"
    assert _text(policy, "G.4.i.b").startswith("one visit every ten sessions")
    assert _text(policy, "G.5.ii") == "Absence information is shared daily."


def test_section_h(policy: Policy) -> None:
    paragraphs = [cid for cid in _ids(policy, "H") if policy.clause(cid).kind == "paragraph"]
    assert paragraphs == [f"H.{n}" for n in range(1, 15)]
    assert _text(policy, "H.1").startswith("A decision to refer a pupil off-site")
    h2 = policy.clause("H.2")
    assert h2.text.startswith("When making the decision to refer off-site")
    assert h2.text.endswith("The referral notice must include the following information:")
    assert h2.children == tuple(f"H.2.{n}" for n in ("i", "ii", "iii", "iv", "v", "vi"))
    assert (
        _text(policy, "H.2.iv") == "the number of days for which the requirement is to be imposed;"
    )
    assert _text(policy, "H.2.ii") == (
        "particulars identifying the person to whom the pupil should report on first attending"
    )
    assert policy.clause("H.2.vi").children == ("H.2.vi.a", "H.2.vi.b")
    assert _text(policy, "H.2.vi.b").startswith("where a single session per day is provided")
    h3 = policy.clause("H.3")
    assert h3.text == "In these instances where a pupil is directed off-site, the school will:"
    assert h3.children == tuple(f"H.3.{n}" for n in ("i", "ii", "iii", "iv", "v"))
    assert _text(policy, "H.3.ii") == "Keep in touch with the pupil throughout the placement."
    assert _text(policy, "H.4").startswith("Pupils who are not making satisfactory progress")
    assert _text(policy, "H.6").startswith("Extra consideration should be made")
    assert policy.clause("H.7").children == ("H.7.i", "H.7.ii")


def test_h_subheading_is_a_heading_not_a_clause(policy: Policy) -> None:
    assert all(BEFORE_DECIDING not in c.text for c in policy.clauses())
    headed = [c.id for c in policy.clauses() if c.heading == BEFORE_DECIDING]
    expected = ["H.6", "H.7", "H.7.i", "H.7.ii", *(f"H.{n}" for n in range(8, 15))]
    assert headed == expected
    assert all(policy.clause(f"H.{n}").heading is None for n in range(1, 6))


def test_hard_wrapped_paragraph_is_joined(policy: Policy) -> None:
    assert _text(policy, "H.14") == (
        "The school must comply with the Education (Educational Provision for Improving "
        "Behaviour) Regulations 2010 which outline the procedure that must be followed when "
        "directing a pupil off-site."
    )
    assert policy.quotes("H.14", "Provision for Improving Behaviour) Regulations 2010")


def test_lines_without_full_stop_are_not_swallowed(policy: Policy) -> None:
    # I.5 ends "PEP" without a full stop; I.6 must stay a paragraph of its own.
    assert _text(policy, "I.5").endswith("immediate suitable education in the pupil’s PEP")
    assert _text(policy, "I.6").startswith("Where a pupil who is permanently excluded")


def test_section_i(policy: Policy) -> None:
    i1 = policy.clause("I.1")
    assert i1.text.startswith(
        "The school will arrange suitable full-time education for pupils who receive a "
        "fixed-period exclusion of more than five school days."
    )
    assert "Arranging provision" not in i1.text
    assert i1.children == ("I.1.i", "I.1.ii", "I.1.iii", "I.1.iv")
    assert _text(policy, "I.1.i").startswith("the start date for any provision")
    assert _text(policy, "I.1.iv").startswith("any information required by the pupil")
    starts = {
        "I.2": "Where this information on alternative provision is not reasonably ascertainable",
        "I.3": "The notice must be provided in writing",
        "I.4": "Consecutive fixed-period suspensions",
        "I.5": "The LA will arrange suitable full-time education for any pupil permanently",
        "I.6": "Where a pupil who is permanently excluded has an EHC plan",
        "I.7": "Where it is not possible or appropriate",
        "I.8": "Provision does not have to be arranged for a pupil in the final year",
    }
    for cid, start in starts.items():
        assert _text(policy, cid).startswith(start), cid
    assert [c for c in _ids(policy, "I") if c.count(".") == 1] == [f"I.{n}" for n in range(1, 9)]


def test_section_j_headings_and_flat_bullets(policy: Policy) -> None:
    assert _text(policy, "J.1").startswith("The school’s pupil support unit will only provide")
    assert UNITS_REGISTERED not in _text(policy, "J.1")
    assert len(policy.clause("J.2").children) == 10
    assert _text(policy, "J.2.ii") == "Delivering a broad and balanced curriculum offer that:"
    assert _text(policy, "J.2.iii") == "Aligns to the curriculum in mainstream lessons."
    assert all(policy.clause(f"J.2.{n}").children == () for n in ("ii", "iii"))
    for cid in ("J.1", "J.2", "J.2.x", "J.3"):
        assert policy.clause(cid).heading == UNITS_REGISTERED, cid
    for cid in ("J.4", "J.5"):
        assert policy.clause(cid).heading == UNITS_ADMISSION, cid
    assert _text(policy, "J.4").startswith("If the school’s pupil support unit also provide")


def test_sections_k_to_r(policy: Policy) -> None:
    counts = {"K": 5, "L": 2, "M": 4, "N": 8, "O": 5, "P": 3, "R": 1}
    for letter, count in counts.items():
        assert _ids(policy, letter) == [f"{letter}.{n}" for n in range(1, count + 1)]
    assert _text(policy, "L.1").startswith("Where the school has concerns about the behaviour")
    assert _text(policy, "M.1").startswith("The objectives of placing individual pupils")
    assert _text(policy, "N.1").startswith("Upon placement in alternative provision")
    assert _text(policy, "O.1").startswith("The school will recognise that")
    assert _text(policy, "P.1").startswith("The school will ensure that those pupils eligible")
    assert _text(policy, "R.1").startswith("This policy undergoes a formal review every three")


def test_section_q(policy: Policy) -> None:
    paragraphs = [c for c in _ids(policy, "Q") if c.count(".") == 1]
    assert paragraphs == [f"Q.{n}" for n in range(1, 10)]
    assert _text(policy, "Q.8").startswith("Schools can consider a range of measures")
    assert len(policy.clause("Q.8").children) == 8
    assert _text(policy, "Q.8.v") == "Planned pastoral interventions;"
    q9 = policy.clause("Q.9")
    assert q9.heading == "Secondary schools"
    assert q9.text.startswith("If a pupil will not reintegrate before the end of Year 11")
    assert all(policy.clause(f"Q.{n}").heading is None for n in range(1, 9))


def test_section_s_parts(policy: Policy) -> None:
    assert _ids(policy, "S") == ["S.0", "S.1", "S.2", "S.3", "S.4", "S.5"]
    assert _text(policy, "S.0") == (
        "Templates are provided for the following in supporting documentation folder:"
    )
    assert _text(policy, "S.1") == "School and Alternative Provision - Service Level Agreement"
    assert _text(policy, "S.3") == "Alternative Provision Learner’s Plan"
    assert policy.clause("S.3").kind == "part"


# --------------------------------------------------------------------------- invariants


def test_every_clause_clean_and_non_empty(policy: Policy) -> None:
    for clause in policy.clauses():
        assert clause.text, clause.id
        assert clause.text == normalise_space(clause.text)
        for tag in ("[bookmark", "[New]", "[Updated]"):
            assert tag not in clause.text, clause.id
            assert tag not in (clause.heading or ""), clause.id
        assert not re.match(r"([·•]|[ivx]+\.|[a-z]\.|\d+\.)\s", clause.text), clause.id


def test_ids_unique_and_well_formed(policy: Policy) -> None:
    ids = [c.id for c in policy.clauses()]
    assert len(ids) == len(set(ids))
    pattern = re.compile(r"[A-S]\.\d+(\.(\d+|[ivx]+))?(\.[a-z])?")
    for cid in ids:
        assert pattern.fullmatch(cid), cid


def test_parent_children_consistent(policy: Policy) -> None:
    order = {c.id: i for i, c in enumerate(policy.clauses())}
    for clause in policy.clauses():
        if clause.parent is None:
            assert clause.kind in ("paragraph", "part")
        else:
            parent = policy.clause(clause.parent)
            assert clause.id in parent.children
            assert clause.id.startswith(parent.id + ".")
            assert parent.section == clause.section
            assert order[parent.id] < order[clause.id]
        for child in clause.children:
            assert policy.clause(child).parent == clause.id
        assert [order[c] for c in clause.children] == sorted(order[c] for c in clause.children)
        if clause.kind == "item":
            assert clause.parent is not None


def _source_words() -> list[str]:
    """The source's words minus tags, list markers and section titles, in order."""
    noise = re.compile(r"\[bookmark:\s*(?:[^\[\]]|\[[^\[\]]*\])*\]|\[New\]|\[Updated\]")
    marker = re.compile(r"\s*(?:[·•]|\d+\.\s|[ivx]+\.\s|[a-z]\.\s)")
    words: list[str] = []
    for line in SOURCE.splitlines():
        text = noise.sub("", line).strip()
        letters = re.findall(r"\[bookmark: ([A-S])\]", line)
        if line.startswith("[Updated] Planning for alternative provision"):
            letters = ["E"]
        if letters:
            assert text.startswith(TITLES[letters[0]])
            text = text[len(TITLES[letters[0]]) :]
        text = marker.sub("", text, count=1) if marker.match(text) else text
        words.extend(text.replace("[", " ").replace("]", " ").split())
    return words


def _index_words(policy: Policy) -> list[str]:
    words: list[str] = []
    heading: str | None = None
    for clause in policy.clauses():
        if clause.heading is not None and clause.heading != heading:
            words.extend(clause.heading.split())
        heading = clause.heading
        words.extend(clause.text.split())
    return words


def test_coverage_every_word_indexed_exactly_once(policy: Policy) -> None:
    source, index = _source_words(), _index_words(policy)
    assert len(source) > 4000
    assert index == source


# --------------------------------------------------------------------------- lookups


def test_unknown_clause_raises_with_id(policy: Policy) -> None:
    with pytest.raises(PolicyIndexError, match=r"Z\.9"):
        policy.clause("Z.9")
    assert not policy.has_clause("Z.9")
    assert policy.has_clause("H.2.vi.a")
    with pytest.raises(PolicyIndexError, match=r"H\.2\.vii"):
        policy.full_text("H.2.vii")
    with pytest.raises(PolicyIndexError):
        policy.section_of("G.6")
    with pytest.raises(PolicyIndexError, match=r"did you mean .*H\.2\.vi\b"):
        policy.clause("H.2.vii")
    with pytest.raises(PolicyIndexError):
        policy.quotes("Q.10", "anything")


def test_full_text_and_quotes(policy: Policy) -> None:
    full = policy.full_text("H.2")
    assert full.startswith(_text(policy, "H.2") + " the address at which")
    assert full.endswith("the times at which the session commences and ends.")
    assert policy.full_text("H.2.iv") == _text(policy, "H.2.iv")
    assert policy.quotes("H.2", "the number of days for which the requirement is to be imposed;")
    assert policy.quotes("H.2.vi", "where two sessions per day are provided")
    assert not policy.quotes("H.2.iv", "where two sessions per day are provided")
    assert policy.quotes("I.1", "  fixed-period exclusion\n of more than\tfive school days. ")
    assert not policy.quotes("I.1", "Fixed-period exclusion of more than five school days.")
    assert not policy.quotes("I.1", "fixedperiod exclusion")
    assert policy.quotes("I.1", "sixth school day of exclusion; however,")
    assert policy.quotes("I.2", "less than 48 hours’ notice")  # curly apostrophe as in the text
    assert not policy.quotes("I.2", "less than 48 hours' notice")
    assert not policy.quotes("I.1", "")
    assert not policy.quotes("I.1", "   ")
    assert policy.quotes(
        "G.2", "appropriate safeguarding checks have been carried out on new staff"
    )
    assert policy.quotes("G.4", "one visit/meeting at the alternative provision per month or")
    assert not policy.quotes("I.1", "Arranging provision for suspended pupils")


@given(data=st.data())
def test_quotes_any_word_span_with_any_spacing(data: st.DataObject) -> None:
    policy = load_policy()
    clauses = list(policy.clauses())
    clause: Clause = data.draw(st.sampled_from(clauses))
    words = policy.full_text(clause.id).split()
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, min(len(words), start + 30)))
    gaps = data.draw(
        st.lists(st.sampled_from([" ", "  ", "\n", "\t", " \n "]), min_size=end - start + 1)
    )
    quote = gaps[0] + "".join(w + g for w, g in zip(words[start:end], gaps[1:], strict=False))
    assert policy.quotes(clause.id, quote)
    root = clause
    while root.parent is not None:
        root = policy.clause(root.parent)
    assert policy.quotes(root.id, quote)


def test_normalise_space() -> None:
    assert normalise_space("  a\t b\n\nc  ") == "a b c"
    assert normalise_space("") == ""


# --------------------------------------------------------------------------- other texts


def test_parse_policy_matches_load_policy(policy: Policy) -> None:
    again = parse_policy(SOURCE)
    assert [c for c in again.clauses()] == [c for c in policy.clauses()]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("[bookmark: O]Monitoring attendance The", "[bookmark: O]Attendance monitoring The"),
        ("[Updated] Planning for alternative provision [New]", "[Updated] Planning [New]"),
        ("[bookmark: H]Referral process for Off-site direction", "[bookmark: H]Referral"),
        ("[bookmark: Q][Updated] Reintegration", "[bookmark: Q][Updated] Re-integration"),
        ("[bookmark: S]Supporting Documentation", "[bookmark: S]Supporting Documents"),
        ("[Updated] Before deciding to refer off-site\n", ""),
    ],
)
def test_parse_policy_rejects_changed_titles(old: str, new: str) -> None:
    assert old in SOURCE
    with pytest.raises(PolicyIndexError):
        parse_policy(SOURCE.replace(old, new, 1))


def test_section_without_bookmark_found_by_title(policy: Policy) -> None:
    changed = parse_policy(SOURCE.replace("[bookmark: K]", "", 1))
    assert [c for c in changed.clauses()] == [c for c in policy.clauses()]


def test_parse_policy_rejects_text_before_section_a() -> None:
    with pytest.raises(PolicyIndexError, match="before section A"):
        parse_policy("Alternative Provision Policy\n" + SOURCE)


def test_parse_policy_rejects_duplicate_ids() -> None:
    changed = SOURCE.replace("ii. Absence information", "i. Absence information", 1)
    with pytest.raises(PolicyIndexError, match=r"G\.5\.i\b"):
        parse_policy(changed)


def test_hard_wrap_joined_generally() -> None:
    wrapped = (
        "In ensuring that unregistered alternative provision is suitable, the school will make\n"
        "use of the local area quality assurance framework which provides an approved list of\n"
        "local unregistered alternative provision."
    )
    original = normalise_space(wrapped)
    assert original in SOURCE
    changed = SOURCE.replace(original, wrapped, 1)
    assert parse_policy(changed).clause("K.3").text == original
    assert parse_policy(changed).clause("K.4").text.startswith("Approved unregistered providers")
