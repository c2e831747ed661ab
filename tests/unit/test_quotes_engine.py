"""Behaviour of the rule-based quote engine on small texts written for these tests."""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from service.engines.base import QuoteEngine
from service.engines.quotes import RuleQuoteEngine
from service.engines.quotes.context import Mention, MentionKind
from service.engines.quotes.people import Cast
from service.engines.quotes.ranker import MODEL_PATH, Candidate, Ranker
from service.engines.quotes.spans import SPANS_PATH, SpanScorer
from service.engines.quotes.speakers import CONFIDENCE_PATH
from service.schemas import Quote, QuotesResult
from tests.fuzz_text import doubling_ratio


def _run(text: str) -> QuotesResult:
    return RuleQuoteEngine().extract(text)


def _find(result: QuotesResult, fragment: str) -> Quote:
    hits = [q for q in result.quotes if fragment in q.text]
    assert len(hits) == 1, f"{fragment!r} in {[q.text for q in result.quotes]}"
    return hits[0]


def _speaker(result: QuotesResult, fragment: str) -> str | None:
    q = _find(result, fragment)
    return q.speaker.name if q.speaker else None


class TestMarks:
    """Which spans count as quoted words."""

    def test_straight_double_quotes(self) -> None:
        """Straight double quotes delimit a quote; offsets exclude the marks and trailing comma."""
        text = 'The storm passed. "We lost the barn roof," Peter Quince said.'
        q = _find(_run(text), "barn roof")
        assert q.text == "We lost the barn roof"
        assert text[q.start : q.end] == q.text

    def test_curly_double_quotes(self) -> None:
        """Curly double quotes delimit a quote."""
        r = _run("“The vote was close,” said Irene Vole.")
        assert _speaker(r, "vote was close") == "Irene Vole"

    def test_british_single_quotes_with_apostrophes(self) -> None:
        """‘…’ quotes are found while ’ inside words stays an apostrophe."""
        r = _run("Tom Baxter said the club ‘wasn’t ready for the big stage’ last season.")
        q = _find(r, "ready for the big stage")
        assert q.text == "wasn’t ready for the big stage"

    def test_ptb_marks(self) -> None:
        """``PTB-style'' marks delimit a quote."""
        r = _run("``The line is long,'' said Oliver Stroud.")
        q = _find(r, "line is long")
        assert q.text == "The line is long"
        assert _speaker(r, "line is long") == "Oliver Stroud"

    def test_unbalanced_mark_runs_to_paragraph_end(self) -> None:
        """An opening mark that never closes quotes the rest of its paragraph only."""
        text = "Nina Gold told the court: “I saw him leave at noon\nThe judge adjourned the case."
        r = _run(text)
        q = _find(r, "saw him leave")
        assert q.text == "I saw him leave at noon"
        assert all("adjourned" not in x.text for x in r.quotes)

    def test_nested_quote_stays_inside_outer(self) -> None:
        """A quote inside a quote is part of the outer quote, not a quote of its own."""
        r = _run("“She told me ‘never again’ and left,” said Ravi Patel.")
        assert len(r.quotes) == 1
        assert "‘never again’" in r.quotes[0].text

    def test_curly_quote_inside_straight_quote(self) -> None:
        """Double marks of the other set inside a quote nest: the outer quote runs past them."""
        text = (
            'Mayor Lena Fosse read the survey aloud: "The question was “Would you move here?” and '
            'most people said yes. That tells us something."\nThe council meets on Monday.'
        )
        r = _run(text)
        q = _find(r, "The question was")
        assert q.text.endswith("That tells us something.")
        assert "“Would you move here?”" in q.text
        assert len(r.quotes) == 1
        assert _speaker(r, "The question was") == "Lena Fosse"

    def test_straight_quote_inside_curly_quote(self) -> None:
        """The reverse nesting: straight marks inside a curly quote."""
        r = _run('“They called the plan "bold" and then voted it down,” said Omar Reyes.')
        assert len(r.quotes) == 1
        q = r.quotes[0]
        assert q.text == 'They called the plan "bold" and then voted it down'
        assert _speaker(r, "voted it down") == "Omar Reyes"

    def test_doubled_opening_marks_are_one_quote(self) -> None:
        """A straight mark typed right before a curly one opens a single quote, closed by ”."""
        r = _run('"“We will appeal,” the lawyer, Carla Denton, said on Friday.')
        q = _find(r, "We will appeal")
        assert q.text == "We will appeal"

    def test_backwards_closing_mark(self) -> None:
        """“ typed where ” belongs (after the words, before a space or the line's end) closes."""
        text = "“The results are in,“ said Pia Lund. “We won.“\nThe count took two days."
        r = _run(text)
        assert [q.text for q in r.quotes] == ["The results are in", "We won."]
        assert [q.speaker.name if q.speaker else None for q in r.quotes] == ["Pia Lund", "Pia Lund"]

    def test_multi_paragraph_quote(self) -> None:
        """Each reopened paragraph of one speech is a quote of the same speaker."""
        text = (
            "The coach, Ida Marsh, spoke after the match: “We started slowly.\n"
            "“Then we found our rhythm and never looked back.”\n"
            "The team travels to Leeds next."
        )
        r = _run(text)
        assert _speaker(r, "started slowly") == "Ida Marsh"
        assert _speaker(r, "found our rhythm") == "Ida Marsh"

    def test_markup_attribute_is_not_a_quote(self) -> None:
        """Attribute values of leftover markup are not quotes."""
        r = _run('<tweet id="12345" author="@someone"></tweet> Nothing else happened.')
        assert r.quotes == []


class TestAttribution:
    """Who said each quote."""

    def test_speaker_before_with_colon(self) -> None:
        """ "X said: “…”" attributes to X."""
        r = _run("Carl Mendes said: “The budget is balanced.”")
        assert _speaker(r, "budget is balanced") == "Carl Mendes"

    def test_speaker_in_the_middle_of_a_split_quote(self) -> None:
        """Both halves of “A,” X said, “B.” belong to X."""
        r = _run("“We tried,” Lucy Fenn said, “but the road was closed.”")
        assert _speaker(r, "We tried") == "Lucy Fenn"
        assert _speaker(r, "road was closed") == "Lucy Fenn"

    def test_after_a_dash(self) -> None:
        """An attribution after a dash ("— X said") names the speaker."""
        r = _run("“Nobody warned us” — Owen Pike said after the flood.")
        assert _speaker(r, "Nobody warned us") == "Owen Pike"

    def test_inverted_verb_with_role(self) -> None:
        """ "said X, ROLE" gives X as the speaker and ROLE as the role."""
        r = _run("“Sales doubled,” said Mia Torres, head of sales at Orbit Foods.")
        assert _speaker(r, "Sales doubled") == "Mia Torres"
        assert r.speakers[0].role == "head of sales at Orbit Foods"

    def test_cue_verbs_beyond_said(self) -> None:
        """told, added, wrote, tweeted, asked, insisted and recalled are cue verbs."""
        for verb in ("told reporters", "added", "wrote", "tweeted", "asked", "insisted", "recalled"):
            r = _run(f"“It was a long night,” Gary Lund {verb}.")
            assert _speaker(r, "long night") == "Gary Lund", verb

    def test_according_to(self) -> None:
        """ "…”, according to X" attributes to X."""
        r = _run("The bridge is “structurally unsound”, according to engineer Rita Vance.")
        assert _speaker(r, "structurally unsound") == "Rita Vance"

    def test_in_a_statement(self) -> None:
        """An organisation speaking "in a statement" is an organisation speaker."""
        r = _run("Bluefin Airways said in a statement: “All flights will resume on Friday.”")
        assert _speaker(r, "flights will resume") == "Bluefin Airways"
        assert r.speakers[0].kind == "organisation"

    def test_organisation_with_article(self) -> None:
        """ "the Town Council said" names the organisation without the article."""
        r = _run("“Bins will be collected weekly,” the Town Council said.")
        assert _speaker(r, "collected weekly") == "Town Council"

    def test_previous_sentence_colon(self) -> None:
        """A colon after a sentence about the speaker introduces their words."""
        text = "Judge Alma Reyes looked at the jury. Her verdict was short: “Not guilty.”"
        assert _speaker(_run(text), "Not guilty") == "Alma Reyes"

    def test_partial_quote_in_indirect_speech(self) -> None:
        """A partial quote inside reported speech belongs to the reporting subject."""
        r = _run("Mr Osei said he wanted “a fair and open contest” with his rivals.")
        assert _find(r, "fair and open contest").speaker is not None
        assert _speaker(r, "fair and open contest") == "Osei"

    def test_quote_only_paragraph_continues_previous_speaker(self) -> None:
        """A paragraph that is only a quote continues the previous paragraph's speaker."""
        text = "“Prices are falling,” said Dana Wolfe.\n“Next year will be better for buyers.”"
        assert _speaker(_run(text), "Next year") == "Dana Wolfe"

    def test_anonymous_source_is_not_a_named_person(self) -> None:
        """ "a senior aide said" keeps the phrase as mention and no name."""
        text = "Governor Paul Ames left early. “He was furious,” a senior aide said."
        q = _find(_run(text), "He was furious")
        assert q.speaker is not None
        assert q.speaker.name is None
        assert q.speaker.mention == "a senior aide"


class TestResolution:
    """Mentions resolved to one canonical name per person."""

    def test_title_resolves_to_full_name(self) -> None:
        """ "Mr Lowe" resolves to the fullest form "Brian Lowe" seen earlier."""
        text = "Brian Lowe runs the farm. “The rain came too late,” Mr Lowe said."
        r = _run(text)
        assert _speaker(r, "rain came") == "Brian Lowe"
        assert r.speakers[0].aliases == ["Mr Lowe"]

    def test_description_keeps_one_canonical_name(self) -> None:
        """ "Hugh Hill, a doctor, said" and "Dr Hill said" are one person with a role."""
        text = "“Wash your hands,” Hugh Hill, a doctor, said. “Stay home if ill,” Dr Hill said."
        r = _run(text)
        assert _speaker(r, "Wash your hands") == "Hugh Hill"
        assert _speaker(r, "Stay home") == "Hugh Hill"
        assert [(s.name, s.quote_count, s.role) for s in r.speakers] == [("Hugh Hill", 2, "doctor")]

    def test_pronoun_gender_agreement(self) -> None:
        """ "she" resolves to the woman, not the more recent man."""
        text = "Maria Costa met Peter Hale on Monday. “The deal is off,” she said."
        assert _speaker(_run(text), "deal is off") == "Maria Costa"

    def test_pronoun_prefers_subject_over_object(self) -> None:
        """ "he" resolves to the subject of the previous sentence, not its object."""
        text = "Mr Grant thanked Mr Lyle for his help.\n“We could not have done it alone,” he said."
        assert _speaker(_run(text), "could not have done") == "Grant"


class TestNotQuotes:
    """Spans between marks that are not direct quotes."""

    def test_scare_quote_after_called_by_a_group(self) -> None:
        """A one-word label by an unnamed group ("critics called it “bold”") is not a quote."""
        r = _run("Critics called the design “bold”. The architect Lee Park disagreed.")
        assert all(q.text != "bold" for q in r.quotes)

    def test_title_is_not_a_quote(self) -> None:
        """A title-case span with no attribution (a show, a book) is not a quote."""
        r = _run("She starred in “The Quiet Harbour” for two seasons.")
        assert r.quotes == []

    def test_related_headline_line_is_not_attributed(self) -> None:
        """A quote in a headline-like furniture line gets no speaker."""
        text = (
            "Mayor Jo Kent opened the new library on Monday.\n"
            "‘We were robbed’: Fans react to the cup final\n"
            "“Books change lives,” Ms Kent said."
        )
        r = _run(text)
        assert all(q.speaker is None for q in r.quotes if "robbed" in q.text)
        assert _speaker(r, "Books change lives") == "Jo Kent"


class TestSpanFilters:
    """Spans that look quoted but are not separate direct quotes."""

    def test_single_quotes_in_double_quoted_article_are_dropped(self) -> None:
        """‘…’ outside double quotes is not a quote when the article quotes with double marks."""
        text = "“We are ready,” said Lena Ford.\nThe plan was called ‘bold and costly’ by critics."
        r = _run(text)
        assert [q.text for q in r.quotes] == ["We are ready"]

    def test_single_quotes_with_double_apostrophe_quoting_are_dropped(self) -> None:
        """In text that quotes with ''…'', ‘…’ marks a quote within a quote."""
        text = "''He told me, ‘wait for the signal and go now,’ and left,'' said Omar Reyes."
        assert _run(text).quotes == []

    def test_title_line_with_full_stop_is_not_quoted(self) -> None:
        """A short first line set off by a blank line is a headline even with a final stop."""
        text = (
            "Mayor says budget is “a disaster”.\n\n"
            "The mayor of Lakeside, Dana Frost, spoke at length on Monday about the budget.\n\n"
            "“It is a disaster for the town,” Frost said.\n"
        )
        r = _run(text)
        assert [q.text for q in r.quotes] == ["It is a disaster for the town"]
        assert _speaker(r, "disaster for the town") == "Dana Frost"


class TestRanker:
    """The learned fallback for quotes the rules cannot attribute."""

    def test_quote_without_cue_gets_subject_of_sentence(self) -> None:
        """A partial quote with no cue verb goes to the sentence's named subject."""
        text = "In a long interview, Governor Lisa Park was defiant about “the money we need to rebuild.”"
        assert RuleQuoteEngine(ranker=False).extract(text).quotes[0].speaker is None
        r = _run(text)
        assert _speaker(r, "money we need") == "Lisa Park"
        q = _find(r, "money we need")
        assert q.speaker is not None
        assert text[q.speaker.start or 0 : q.speaker.end or 0] == q.speaker.mention

    def test_standalone_quote_paragraph_gets_previous_paragraph_subject(self) -> None:
        """A quote paragraph without attribution goes to the person the paragraph before is about."""
        text = "Governor Lisa Park toured the valley on Monday.\n\n“We will rebuild every house and road.”\n"
        assert _speaker(_run(text), "rebuild every house") == "Lisa Park"

    def test_tampered_weights_are_refused(self, tmp_path: Path) -> None:
        """Weights whose sha256 differs from the pinned one do not load."""
        bad = tmp_path / "quote_ranker.json"
        bad.write_text('{"weights": {}, "bias": 9.0, "threshold": 0.0}')
        with pytest.raises(ValueError, match="sha256"):
            Ranker.load(bad)

    def test_threshold_leaves_unlikely_candidates_out(self) -> None:
        """A ranker whose best candidate scores under the threshold picks nobody."""
        cautious = Ranker({}, bias=-5.0, threshold=0.5)
        only = Candidate(Mention(0, 2, MentionKind.PRONOUN), {"k_pronoun": 1.0})
        assert cautious.pick([only]) is None
        assert Ranker({"k_pronoun": 10.0}, bias=-5.0, threshold=0.5).pick([only]) == only.mention

    def test_each_rule_outcome_has_its_own_threshold(self) -> None:
        """A rule outcome with a high threshold keeps the rules' pick; an open quote takes the ranker's."""
        ranker = Ranker({}, bias=0.0, threshold=0.9, thresholds={"none": 0.1, "previous": 1.01})
        only = Candidate(Mention(0, 2, MentionKind.PRONOUN), {"k_pronoun": 1.0})
        assert ranker.pick([only], None) == only.mention
        assert ranker.pick([only], "previous") is None
        assert ranker.pick([only], "subject") is None


class TestTranscripts:
    """Interview transcripts quoted line by line ("HOST: …")."""

    TEXT = (
        "Senator Dana Whitfield spoke to the host, Carl Benning, on Sunday. A partial transcript "
        "follows:\n\n"
        '"BENNING: Will you support the harbour bill?\n\n'
        '"WHITFIELD: I have said so for a year. The harbour needs dredging.\n\n'
        '"The fishermen have waited long enough.\n\n'
        '"BENNING: And the cost?\n\n'
        '"WHITFIELD: Cheaper than doing nothing."\n'
    )

    def test_label_is_the_speaker_and_not_part_of_the_quote(self) -> None:
        """Each line's capitalised label names its speaker, resolved to the full name, and is left
        out of the quoted words; a paragraph continuing a line keeps its speaker."""
        r = RuleQuoteEngine(spans=False).extract(self.TEXT)
        got = [(q.text, q.speaker.name if q.speaker else None) for q in r.quotes]
        assert got == [
            ("Will you support the harbour bill?", "Carl Benning"),
            ("I have said so for a year. The harbour needs dredging.", "Dana Whitfield"),
            ("The fishermen have waited long enough.", "Dana Whitfield"),
            ("And the cost?", "Carl Benning"),
            ("Cheaper than doing nothing.", "Dana Whitfield"),
        ]
        q = _find(r, "harbour needs dredging")
        assert q.speaker is not None
        assert self.TEXT[q.speaker.start : q.speaker.end] == "WHITFIELD"

    def test_lone_label_must_name_a_person_of_the_article(self) -> None:
        """One "NAME:" line is a label only when the article names that person; notes are not."""
        text = (
            "Mayor Ruth Okafor answered questions from readers.\n\n"
            '"OKAFOR: The pool reopens in June," the city said on its website.\n\n'
            '"NOTE: Times may change," a notice at the pool read.\n\n'
            '"HARGROVE: Nobody asked us," a sign at the protest said.\n'
        )
        r = RuleQuoteEngine(spans=False).extract(text)
        assert _speaker(r, "pool reopens") == "Ruth Okafor"
        assert _find(r, "Times may change").text.startswith("NOTE:")
        assert _find(r, "Nobody asked us").text.startswith("HARGROVE:")


class TestSpeakerMentions:
    """Which words stand for the speaker, and which lone names count as people."""

    def test_relative_pronoun_is_the_mention_and_the_name_resolves(self) -> None:
        """ "Nora Quist, who says the plan is “…”": mention "who", speaker Nora Quist."""
        text = "The budget drew fire from Nora Quist, who says the plan is “a gift to landlords”."
        q = _find(_run(text), "gift to landlords")
        assert q.speaker is not None
        assert q.speaker.mention == "who"
        assert q.speaker.name == "Nora Quist"
        result = _run(text)
        assert all("who" not in s.aliases for s in result.speakers)

    def test_relayed_quote_goes_to_the_outer_source(self) -> None:
        """ "…,” X said, according to Y": Y relays the words and is credited, as annotated."""
        text = "“We will not back down,” Mayor Jo Pratt said, according to the Harbour Gazette."
        q = _find(_run(text), "not back down")
        assert q.speaker is not None
        assert q.speaker.mention == "the Harbour Gazette"
        assert q.cue == "according to"

    def test_plural_noun_is_not_a_cue(self) -> None:
        """In "said Hale's remarks were “…”" the cue is "said" and its subject speaks, not Hale."""
        text = "Senator Ada Holt said Hale's remarks were “reckless and untrue”."
        assert _speaker(_run(text), "reckless and untrue") == "Ada Holt"

    def test_dateline_is_not_the_sentence_subject(self) -> None:
        """ "WASHINGTON — X rallied supporters, saying: “…”" credits X, not the dateline."""
        text = "WASHINGTON — Senator Ada Holt rallied supporters on Monday, saying: “We will win this fight.”"
        assert _speaker(_run(text), "win this fight") == "Ada Holt"

    def test_reported_speech_goes_to_the_outer_speaker(self) -> None:
        """ "Ada Holt said that Hale told her “…”": the one reporting it is credited."""
        text = "Senator Ada Holt said that Tom Hale told her “the vote was rigged from the start”."
        assert _speaker(_run(text), "vote was rigged") == "Ada Holt"

    def test_parenthetical_between_name_and_verb(self) -> None:
        """ "Ada Holt (D-Ore.) told reporters “…”" still finds Ada Holt before the verb."""
        text = "Senator Ada Holt (D-Ore.) told reporters the plan was “a gift to landlords”."
        assert _speaker(_run(text), "gift to landlords") == "Ada Holt"

    def test_lone_surname_that_speaks_is_a_person(self) -> None:
        """A surname never given in full still names the speaker when it says something."""
        text = "The talks ended late.\n\nBrennick later told reporters: “We are close to a deal.”"
        assert _speaker(_run(text), "close to a deal") == "Brennick"

    def test_participle_or_adverb_opening_a_sentence_is_not_its_speaker(self) -> None:
        """A partial quote in a sentence that opens with "Hastily," is not given to "Hastily"; a
        named subject after an opener still speaks."""
        r = _run(
            "Lena Ortiz took the stage after dark.\n\nHastily, the speech turned to "
            "“a new deal for the valley” and ended."
        )
        assert _speaker(r, "new deal") in (None, "Lena Ortiz")
        r = _run(
            "Lena Ortiz took the stage after dark.\n\nReading from notes, Ortiz promised "
            "“a new deal for the valley” to the crowd."
        )
        assert _speaker(r, "new deal") == "Lena Ortiz"

    def test_dateline_is_neither_a_speaker_nor_part_of_a_name(self) -> None:
        """ "JACKSON, Miss. - " and "PORTLAND, Ore. - " name places: the city is not the speaker of
        the sentence, and the state's abbreviation does not join the next name."""
        text = (
            "Judge halts the new law.\n\nJACKSON, Miss. - The ruling late Thursday found the bill "
            "showed “a clear intent to discriminate” against residents.\n\n"
            "PORTLAND, Ore. - Peter Santilli, a radio host, said the case was “a circus.”"
        )
        r = _run(text)
        assert _speaker(r, "clear intent") is None
        assert _speaker(r, "a circus") == "Peter Santilli"
        names = [e.name for e in Cast(text, text).entities]
        assert "Peter Santilli" in names
        assert not [n for n in names if n.startswith(("JACKSON", "PORTLAND", "Ore"))], names

    def test_headline_words_do_not_join_a_name(self) -> None:
        """Ordinary words capitalised by a headline ("Does Okafor…", "Team Okafor") are not part of
        the canonical name; place names and first names keep theirs."""
        text = (
            "Does Okafor Have a Plan? Team Okafor Says Yes\n\n"
            "Ruth Okafor, the mayor, met the team on Monday. She does not have a budget yet, and "
            "the team has no plan for New Hampshire visitors.\n\n"
            "“We will publish it in May,” Okafor said. Bill Hadley, her deputy, said the plan was "
            "“nearly done.” The bill goes to a vote in June."
        )
        r = _run(text)
        assert _speaker(r, "publish it in May") == "Ruth Okafor"
        assert _speaker(r, "nearly done") == "Bill Hadley"
        names = [e.name for e in Cast(text, text).entities]
        assert not [n for n in names if n.startswith(("Does", "Team"))], names
        assert "New Hampshire" in names

    def test_sentence_openers_and_headings_are_not_names(self) -> None:
        """Sentence openers ("Following Monday’s vote", "Neither Quist nor …") and a heading in
        capitals do not start or make a person's name."""
        text = (
            "COUNCIL HAS REJECTED THE PLAN\n\n"
            "Following Monday’s vote, Mayor Ada Quist spoke to reporters. “We move on,” she said.\n\n"
            "Neither Quist nor her deputy, Leo Brandt, would name a date. “Not this year,” Brandt said."
        )
        r = _run(text)
        assert _speaker(r, "We move on") == "Ada Quist"
        assert _speaker(r, "Not this year") == "Leo Brandt"
        cast = Cast(text, text)
        names = [e.name for e in cast.entities]
        assert "Ada Quist" in names
        assert not [n for n in names if n.startswith(("Following", "Neither", "COUNCIL"))], names


class TestSpanClassifier:
    """The learned keep/drop decision over quoted spans."""

    def test_attributed_title_case_label_is_kept(self) -> None:
        """A title-case word a named speaker uses ("called the proposal “Absurd”") is a quote."""
        text = (
            "Senator Mark Hale called the proposal “Absurd” on Tuesday. He said the budget office "
            "had not reviewed it.\n\n“We will fight this in committee,” Hale said."
        )
        assert _speaker(_run(text), "Absurd") == "Mark Hale"

    def test_chanted_slogan_is_kept(self) -> None:
        """A slogan chanted in the room is counted as speech."""
        text = "Voters in the hall chanted “Build The Bridge” as the mayor spoke."
        assert [q.text for q in _run(text).quotes] == ["Build The Bridge"]

    def test_link_roundup_headlines_are_not_quotes(self) -> None:
        """Quoted headlines in a bulleted list of links are dropped; the real quote stays."""
        text = (
            "Morning links for Tuesday.\n\n"
            "The council met late into the night and approved the budget, officials said.\n\n"
            "— “A painter opens a studio in the old mill” by Dana Lee: http://example.com/mill\n\n"
            "— “Ferry fares rise again” by Omar Pike: http://example.com/ferry\n\n"
            "“We did what we had to do,” Mayor Jo Pratt said after the vote.\n"
        )
        quotes = _run(text).quotes
        assert [q.text for q in quotes] == ["We did what we had to do"]

    def test_tampered_span_weights_are_refused(self, tmp_path: Path) -> None:
        """Span weights whose sha256 differs from the pinned one do not load."""
        bad = tmp_path / "quote_spans.json"
        bad.write_text('{"weights": {}, "bias": 9.0, "threshold": 0.0}')
        with pytest.raises(ValueError, match="sha256"):
            SpanScorer.load(bad)

    def test_scorer_threshold(self) -> None:
        """A span is kept exactly when its probability reaches the threshold."""
        scorer = SpanScorer({"w1": -4.0}, bias=2.0, threshold=0.5)
        assert scorer.keep({"w5-8": 1.0})
        assert not scorer.keep({"w1": 1.0})

    def test_without_classifier_title_rules_apply(self) -> None:
        """With the classifier off, the hand rules still drop an unattributed title."""
        engine = RuleQuoteEngine(spans=False)
        assert engine.extract("She starred in “The Quiet Harbour” for two seasons.").quotes == []


class TestEngineContract:
    """The engine honours the QuoteEngine protocol."""

    def test_protocol_and_models(self) -> None:
        """RuleQuoteEngine satisfies QuoteEngine and reports its bundled, pinned models."""
        engine = RuleQuoteEngine()
        assert isinstance(engine, QuoteEngine)
        spans, confidence, ranker = engine.models()
        assert confidence.task == "quote-attribution-confidence"
        assert confidence.sha256 == hashlib.sha256(CONFIDENCE_PATH.read_bytes()).hexdigest()
        assert spans.task == "quote-detection"
        assert spans.sha256 == hashlib.sha256(SPANS_PATH.read_bytes()).hexdigest()
        assert ranker.task == "quote-attribution"
        assert ranker.sha256 == hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
        for info in (spans, ranker):
            assert info.source == "bundled"
            assert info.licence == "Apache-2.0"
        assert [m.task for m in RuleQuoteEngine(ranker=False, confidence=False).models()] == [
            "quote-detection"
        ]
        assert RuleQuoteEngine(ranker=False, spans=False, confidence=False).models() == []

    def test_no_quotes(self) -> None:
        """Text without quotation marks yields no quotes and no speakers."""
        assert _run("Nothing was said today.") == QuotesResult(quotes=[], speakers=[])

    def test_thread_safe(self) -> None:
        """Concurrent calls on one engine give the same results as sequential ones."""
        engine = RuleQuoteEngine()
        texts = [f"“Item {i} is ready,” said Ann Cole. Mr Bo Li said “no” to item {i}." for i in range(40)]
        sequential = [engine.extract(t) for t in texts]
        with ThreadPoolExecutor(max_workers=8) as pool:
            parallel = list(pool.map(engine.extract, texts))
        assert parallel == sequential


@pytest.mark.parametrize(
    "unit",
    ['"Yes," said Ann. ', "“a” “b” ", "“Open quote without end\n", '"' * 20],
    ids=["said-pattern-repeated", "dense-pairs", "unclosed-per-line", "only-marks"],
)
def test_adversarial_texts_take_linear_work(unit: str) -> None:
    """Texts with thousands of quote marks cost linear work (bounded work per quote, attribution
    for the first MAX_ATTRIBUTED quotes only): twice the text, about twice the CPU time."""
    engine = RuleQuoteEngine()
    assert doubling_ratio(lambda n: unit * n, engine.extract, 600, repeats=3, clock=time.thread_time) < 3.0
    text = unit * 2000
    for q in engine.extract(text).quotes:
        assert text[q.start : q.end] == q.text
