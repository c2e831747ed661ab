"""Adversarial quote checks in the styles of outlets other than PolNeAR's (round eight).

British (Mr/Mrs/Ms + surname, single quotes, "told the BBC"), wire services (datelines, "told
Reuters", "said in a statement"), NYT ("Mr. Smith said"), local news (police, courts, councils),
business (companies with no organisation word), sports, pronoun chains, quotations over
paragraphs, quotes inside quotes, Q/A interviews, and page furniture (headlines, captions,
bylines). Every text is written for the project. Prints one line per check and the score by class:

    .venv/bin/python bench/quotes_outlets.py [--failures]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.engines.quotes import RuleQuoteEngine
from service.schemas import QuotesResult


@dataclass(frozen=True)
class Check:
    """One expectation: ``what`` is say (fragment -> name), noquote, nocast or role."""

    what: str
    key: str
    want: str | None = None


CASES: list[tuple[str, str, tuple[Check, ...]]] = []


def case(cls: str, text: str, *checks: Check) -> None:
    """Register one text and its checks under an error class."""
    CASES.append((cls, text, checks))


def say(fragment: str, name: str | None) -> Check:
    """The one quote containing ``fragment`` is given to ``name``."""
    return Check("say", fragment, name)


def noquote(fragment: str) -> Check:
    """No quote contains ``fragment``."""
    return Check("noquote", fragment)


def nocast(name: str) -> Check:
    """No speaker of the result is called ``name``."""
    return Check("nocast", name)


def role(name: str, want: str) -> Check:
    """The speaker ``name`` carries the role ``want``."""
    return Check("role", name, want)


# --- British: honorific + surname later, single quotes, "told the BBC" --------------------------
case(
    "uk-honorific",
    "Gareth Pryce, 52, has farmed at Llanwen for 30 years. Mr Pryce said the new rules would "
    "cost him £20,000 a year. ‘It is simply not workable for a hill farm,’ said Mr Pryce.",
    say("simply not workable", "Gareth Pryce"),
)
case(
    "uk-honorific",
    "Helen Oduya and her husband Martin run a bakery in Ripon. Mrs Oduya told the BBC the "
    "energy bill had tripled. ‘We cannot pass that on to customers,’ she said.",
    say("pass that on", "Helen Oduya"),
)
case(
    "uk-single",
    "The health secretary, Priya Sandhu, defended the plan. She told MPs: ‘Waiting lists are "
    "falling for the first time in a decade.’",
    say("Waiting lists are falling", "Priya Sandhu"),
)
case(
    "uk-single",
    "Ms Calder, who chairs the residents' group, disagreed: ‘Nobody asked us about the tower.’ "
    "Joan Calder has lived on the estate since 1979.",
    say("Nobody asked us", "Joan Calder"),
)
case(
    "uk-told-bbc",
    "Dr Rhys Morgan, a GP in Cardiff, told BBC Wales: ‘Patients are waiting three weeks for an appointment.’",
    say("three weeks", "Rhys Morgan"),
    nocast("BBC Wales"),
)

# --- Wire services: datelines, "told Reuters", statements ---------------------------------------
case(
    "wire-dateline",
    "LONDON (Reuters) - Britain's biggest lender will cut 900 jobs, it said on Monday. "
    "“We are simplifying how the bank works,” chief executive Alison Reeve said in a statement.",
    say("simplifying how the bank", "Alison Reeve"),
    nocast("LONDON"),
    nocast("Reuters"),
)
case(
    "wire-told",
    "WASHINGTON (AP) - Senator Dale Whitcomb said on Tuesday he would oppose the nominee. "
    "“She has not answered the committee's questions,” Whitcomb told The Associated Press.",
    say("answered the committee", "Dale Whitcomb"),
    nocast("The Associated Press"),
)
case(
    "wire-statement",
    "Corvane Energy said on Wednesday that output at its Tarn field had fallen 12%. "
    "“Maintenance took longer than planned,” the company said in a statement.",
    say("Maintenance took longer", "Corvane Energy"),
)
case(
    "wire-spokesperson",
    "TOKYO (Reuters) - Kesshin Motors will recall 80,000 cars. “Safety is our first priority,” "
    "a company spokeswoman said, declining to be named.",
    say("first priority", None),
)

# --- NYT: Mr./Ms. + surname -----------------------------------------------------------------
case(
    "nyt-honorific",
    "Daniel Ferrante, a lawyer for the family, said the city had ignored repeated warnings. "
    "“They knew the railing was loose,” Mr. Ferrante said.",
    say("railing was loose", "Daniel Ferrante"),
)
case(
    "nyt-honorific",
    "Rosa Delgado opened her shop in 1998. Ms. Delgado said rent had doubled since then. "
    "“I will not be here next year,” Ms. Delgado said.",
    say("not be here next year", "Rosa Delgado"),
    nocast("Ms. Delgado"),
)

# --- Local news: police, courts, councils ----------------------------------------------------
case(
    "local-police",
    "Det Sgt Ian Moffat said officers were treating the fire as deliberate. “We would urge "
    "anyone with dashcam footage to contact us,” he said.",
    say("dashcam footage", "Ian Moffat"),
    role("Ian Moffat", "Det Sgt"),
)
case(
    "local-court",
    "Carl Renshaw, 34, of Hexley Road, admitted dangerous driving. Judge Miriam Oates told the "
    "court: “You could easily have killed someone.” Renshaw was jailed for 14 months.",
    say("easily have killed", "Miriam Oates"),
)
case(
    "local-council",
    "Cllr Asha Nair, cabinet member for housing, said the council would buy 40 homes. "
    "“This is the start, not the end,” Cllr Nair said.",
    say("start, not the end", "Asha Nair"),
    nocast("Cllr Nair"),
)
case(
    "local-court",
    "Prosecutor Neil Whitby told the jury the defendant had lied. “He had every chance to tell "
    "the truth,” Mr Whitby said.",
    say("every chance", "Neil Whitby"),
)

# --- Business: companies without org words -------------------------------------------------
case(
    "biz-bare-org",
    "Zephyrix cut its sales forecast on Thursday. “Demand in Europe has been soft,” the firm said.",
    say("Demand in Europe", "Zephyrix"),
)
case(
    "biz-its-chief",
    "Brannock raised its dividend. Its chief executive, Omar Sefton, said: “We had a record "
    "year in every market.”",
    say("record year", "Omar Sefton"),
)
case(
    "biz-bare-org",
    "Halvard said it would close 12 stores. “The high street has changed,” it said.",
    say("high street has changed", "Halvard"),
)
case(
    "biz-employer-role",
    "Tessaly finance chief Grace Obi said costs were under control. “We have cut spending "
    "by a fifth,” she said.",
    say("cut spending", "Grace Obi"),
    nocast("Tessaly finance chief Grace Obi"),
)

# --- Sports -----------------------------------------------------------------------------
case(
    "sport-age",
    "Leon Asante scored twice on his debut for Hartwell. “I have dreamt about this since I was "
    "a kid,” the 19-year-old said.",
    say("dreamt about this", "Leon Asante"),
)
case(
    "sport-agent-noun",
    "Leon Asante scored twice on his debut for Hartwell. “I am so happy,” the striker said.",
    say("so happy", "Leon Asante"),
)
case(
    "sport-manager",
    "Hartwell manager Stuart Keane was furious with the referee. “It was never a penalty,” Keane said.",
    say("never a penalty", "Stuart Keane"),
)
case(
    "sport-two-men",
    "Striker Joel Mbeki was substituted after an hour. Manager Tony Grealish explained the "
    "decision. “Joel was tired and we needed fresh legs,” Grealish said. “I wanted to play on,” "
    "Mbeki said.",
    say("fresh legs", "Tony Grealish"),
    say("play on", "Joel Mbeki"),
)
case(
    "sport-captain",
    "The captain, Ellie Marsh, lifted the trophy. “This team never stopped believing,” the 28-year-old said.",
    say("never stopped believing", "Ellie Marsh"),
)

# --- Pronoun chains, same gender --------------------------------------------------------
case(
    "pron-chain",
    "Peter Lowry met Simon Achebe in Lagos last week. Lowry said the talks went well. "
    "“We agreed on the pipeline,” he said.",
    say("agreed on the pipeline", "Peter Lowry"),
)
case(
    "pron-chain",
    "Anna Brook succeeded Clare Doyle as head of the trust in May. Brook said she would keep "
    "Doyle's team. “They are the best in the country,” she said.",
    say("best in the country", "Anna Brook"),
)
case(
    "pron-chain",
    "Mark Ellis, Tom Varga and Sam Dunne sit on the board. Ellis proposed the sale. Varga "
    "opposed it. “It is the wrong price at the wrong time,” he said.",
    say("wrong price", "Tom Varga"),
)
case(
    "pron-chain",
    "Grace Holm phoned her sister, Lydia, after the verdict. “I could not stop crying,” "
    "Grace Holm said. “She was the only one I wanted to tell,” she added.",
    say("stop crying", "Grace Holm"),
    say("only one I wanted", "Grace Holm"),
)

# --- Quotations over paragraphs ----------------------------------------------------------
case(
    "para-continue",
    "Ruth Akers, who runs the shelter, described the winter.\n\n“We had 40 people on the "
    "floor some nights.\n\n“Volunteers slept here too, because the roads were closed,” "
    "she said.",
    say("40 people on the floor", "Ruth Akers"),
    say("Volunteers slept", "Ruth Akers"),
)
case(
    "para-continue",
    "“The bridge is safe,” said engineer Colin Platt.\n\n“We inspected every bolt last "
    "month.”\n\nResidents are not convinced.",
    say("bridge is safe", "Colin Platt"),
    say("every bolt", "Colin Platt"),
)

# --- Quotes inside quotes -------------------------------------------------------------
case(
    "nested",
    "“My father always said ‘never sell the land’, and I never will,” said Owen Teague.",
    say("never will", "Owen Teague"),
)
case(
    "nested",
    "Laura Fenn recalled the call. “He told me, ‘Get out of the building now,’ and I ran,” she said.",
    say("and I ran", "Laura Fenn"),
)

# --- Q/A interviews ---------------------------------------------------------------------
case(
    "qa",
    "In an interview, the novelist Kit Rowe talked about her new book.\n\n"
    "Q: Why set it in Hull?\n\nA: “Because nobody writes about Hull,” Rowe said.",
    say("nobody writes about Hull", "Kit Rowe"),
)

# --- Page furniture: headlines, captions, bylines ----------------------------------------
case(
    "furniture",
    "‘We will not back down’: nurses vow to strike\n\nBy Sarah Quint, Health Correspondent\n\n"
    "Nurses in Leeds voted to strike on Friday. “Our pay has fallen for a decade,” said "
    "union rep Bill Cottam.",
    say("pay has fallen", "Bill Cottam"),
    nocast("Sarah Quint"),
)
case(
    "furniture",
    "Image caption, Firefighters at the scene on Friday\n\nFire crews spent six hours at the "
    "warehouse. Station manager Jo Alleyne said: “The building was fully alight when we "
    "arrived.”",
    say("fully alight", "Jo Alleyne"),
    nocast("Image"),
)
case(
    "furniture",
    "Photograph: Lee Chapman/PA\n\nThe minister, Rob Vance, said the railway would open in "
    "2029. “The money is in place,” he said.",
    say("money is in place", "Rob Vance"),
    nocast("Lee Chapman"),
)

# --- Known leftovers from earlier rounds -------------------------------------------------
case(
    "place-org",
    "Florida, which has no state income tax, drew 300,000 new residents. “People follow the "
    "jobs,” said economist Nina Paley.",
    say("follow the jobs", "Nina Paley"),
    nocast("Florida"),
)
case(
    "head-of",
    "Rates were held at 4%. “Inflation is coming down,” the head of the bank said on Tuesday.",
    say("Inflation is coming down", None),
    nocast("the head"),
)
case(
    "role-apposition",
    "Ann Lee, the mayor, cut the ribbon. “This bridge joins two towns,” she said.",
    say("joins two towns", "Ann Lee"),
    role("Ann Lee", "mayor"),
)
case(
    "cue-verbs",
    "“We were robbed,” insisted Dennis Hurd. “The second goal was offside,” Hurd complained.",
    say("We were robbed", "Dennis Hurd"),
    say("second goal", "Dennis Hurd"),
)
case(
    "told-outlet",
    "Magda Sorensen, who founded the charity, told the Guardian: ‘We are running out of money.’",
    say("running out of money", "Magda Sorensen"),
    nocast("the Guardian"),
)
case(
    "said-mr-title",
    "‘There is no money left,’ said Mr Hollis, the finance director. Keith Hollis joined the club in 2019.",
    say("no money left", "Keith Hollis"),
)

# --- Second batch: harder forms of the same styles ---------------------------------------
case(
    "uk-honorific",
    "John and Mary Hale have run the post office for 25 years. Mrs Hale said the closure "
    "notice came by email. ‘Not even a phone call,’ Mrs Hale said.",
    say("Not even a phone call", "Mary Hale"),
)
case(
    "uk-straight-single",
    "Derek Dunn, 61, lost his job at the plant in March. 'It's over for places like this,' "
    "said Mr Dunn. 'They don't make anything here any more.'",
    say("over for places", "Derek Dunn"),
    say("make anything here", "Derek Dunn"),
)
case(
    "uk-titles",
    "Sir Keith Blane, the former chief constable, said the force was overstretched. ‘Officers "
    "are exhausted,’ Sir Keith said.",
    say("Officers are exhausted", "Keith Blane"),
    nocast("Sir Keith"),
)
case(
    "uk-titles",
    "Prof Jane Odell, who led the study at Leeds, said the results surprised her team. "
    "‘We expected the opposite,’ Prof Odell said.",
    say("expected the opposite", "Jane Odell"),
)
case(
    "local-police",
    "PC Lisa Grant was first at the scene. ‘The driver was trapped for an hour,’ PC Grant told the inquest.",
    say("trapped for an hour", "Lisa Grant"),
    nocast("PC Grant"),
)
case(
    "wire-dateline",
    "PARIS, June 3 (Reuters) - Vellucci, the French tyre maker, said on Monday it would cut "
    "2,000 jobs. “Our markets have shrunk,” the group said.",
    say("markets have shrunk", "Vellucci"),
    nocast("PARIS"),
)
case(
    "wire-witness",
    "Smoke rose over the port on Sunday. “There were three explosions,” a Reuters witness said.",
    say("three explosions", None),
)
case(
    "biz-based",
    "Orliq posted a loss of $40 million. “We invested ahead of demand,” the Austin-based company said.",
    say("invested ahead of demand", "Orliq"),
)
case(
    "biz-group-chief",
    "Fendrel Group, which owns 300 pubs, reported higher sales. The group's chief executive, "
    "Nadia Roux, said: “Customers came back in the summer.”",
    say("came back in the summer", "Nadia Roux"),
    role("Nadia Roux", "chief executive"),
)
case(
    "sport-nationality",
    "Mateo Ibarra, the Spanish midfielder, signed for Ashbourne on Friday. “It is a dream "
    "to play in England,” the Spaniard said.",
    say("dream to play in England", "Mateo Ibarra"),
)
case(
    "sport-age",
    "Olivia Thane beat the world champion in straight sets. “I did not expect that,” the "
    "24-year-old told BBC Sport.",
    say("did not expect that", "Olivia Thane"),
    nocast("BBC Sport"),
)
case(
    "pron-chain",
    "Ms Okafor told Ms Reilly that the deal was off. Ngozi Okafor then left the room. "
    "Siobhan Reilly stayed. “I will keep fighting,” she said.",
    say("keep fighting", "Siobhan Reilly"),
)
case("nested", "‘He said “go”, so I went,’ said Tara Vines, 27.", say("so I went", "Tara Vines"))
case(
    "asked",
    "Asked whether he would resign, Health Minister Paul Ainsley said: “Absolutely not.”",
    say("Absolutely not", "Paul Ainsley"),
)
case(
    "furniture",
    "‘Devastating’: Town counts cost of floods\n\nResidents of Tewby began clearing mud "
    "on Sunday. “Everything downstairs is gone,” said Pat Greer, 70.",
    noquote("Devastating"),
    say("downstairs is gone", "Pat Greer"),
)
case(
    "furniture",
    "Mayor Dana Cole (left) with residents on Friday. Credit: Tom Ruiz\n\nThe mayor said "
    "the park would reopen. “We listened to the families,” Cole said.",
    say("listened to the families", "Dana Cole"),
    nocast("Tom Ruiz"),
)
case(
    "role-apposition",
    "Bryony Pell, a spokeswoman for the hospital, said visiting would be limited. “Patients "
    "come first,” she said.",
    say("Patients come first", "Bryony Pell"),
    role("Bryony Pell", "spokeswoman for the hospital"),
)
case(
    "sport-manager",
    "Keane, whose side are fourth, said: “We have to win on Saturday.” The Hartwell manager "
    "Stuart Keane has lost only twice this season.",
    say("win on Saturday", "Stuart Keane"),
)


# --- Third batch: scare quotes, titles, courts, three persons of one gender -----------------
case(
    "scare",
    "The so-called ‘bedroom tax’ was scrapped in 2019. Critics called the plan “a stealth tax on the poor”. "
    "Council leader Mina Shah said: “We will not bring it back.”",
    noquote("bedroom tax"),
    say("not bring it back", "Mina Shah"),
)
case(
    "title-work",
    "Her new novel, “The Salt Road”, is out on Thursday. “I wrote it in six weeks,” said author Ines Vale.",
    noquote("The Salt Road"),
    say("six weeks", "Ines Vale"),
)
case(
    "title-work",
    "The BBC documentary “Rivers in Crisis” aired on Sunday. Presenter Hugh Carran said the rivers "
    "were dying. “We found sewage in every sample,” he said.",
    noquote("Rivers in Crisis"),
    say("every sample", "Hugh Carran"),
)
case(
    "word-cited",
    "The word “unprecedented” appeared 40 times in the report. Its author, Dr Lena Fischer, "
    "defended it. “These floods really were new,” she said.",
    noquote("unprecedented"),
    say("really were new", "Lena Fischer"),
)
case(
    "pron-three",
    "Sarah Boyd, Emma Quinn and Rachel Tate were all on the shortlist. Quinn won. "
    "“I honestly did not expect it,” she said.",
    say("did not expect it", "Emma Quinn"),
)
case(
    "pron-object",
    "Jack Reilly thanked his manager, Paul Kerr, after the match. “He believed in me when "
    "nobody else did,” he said.",
    say("believed in me", "Jack Reilly"),
)
case(
    "court",
    "Sentencing Mark Dobbs, 41, at Leeds Crown Court, Judge Alan Reeve said: “You showed no remorse at all.”",
    say("no remorse", "Alan Reeve"),
)
case(
    "court",
    "Defending, Priya Lal said her client had been under pressure. “He was working three jobs,” "
    "Ms Lal told the court.",
    say("three jobs", "Priya Lal"),
)
case(
    "wire-according",
    "“We will respond at a time of our choosing,” the ministry said in a statement, according to "
    "state media. The Ministry of Defence gave no details.",
    say("time of our choosing", "Ministry of Defence"),
)
case(
    "biz-ceo",
    "Lumora, the Swedish battery maker, is cutting 400 jobs. “This is a painful day,” chief "
    "executive Erik Sand told reporters.",
    say("painful day", "Erik Sand"),
    nocast("Lumora, the Swedish battery maker"),
)
case(
    "biz-spokesperson-of",
    "A spokesperson for Halcrow Rail said: “Services will run as normal on Monday.”",
    say("run as normal", "Halcrow Rail"),
)
case(
    "sport-post-match",
    "Speaking after the game, Wexford captain Liam Doherty said: “We let ourselves down.” "
    "His manager agreed. “Not good enough,” said Frank Doyle.",
    say("let ourselves down", "Liam Doherty"),
    say("Not good enough", "Frank Doyle"),
)
case(
    "uk-honorific-first-later",
    "Mr Tanaka, who has lived in Bristol since 2001, said the fine was unfair. ‘I paid for "
    "parking,’ he said. Hiro Tanaka plans to appeal.",
    say("paid for parking", "Hiro Tanaka"),
)
case(
    "byline-end",
    "Flood warnings remain in place across Cumbria. “Stay away from the rivers,” said Environment "
    "Agency manager Kate Rowe.\n\nReporting by James Holt; editing by Anna Lim",
    say("Stay away", "Kate Rowe"),
    nocast("James Holt"),
    nocast("Anna Lim"),
)
case(
    "qa-labels",
    "We spoke to the chef Marco Bellini.\n\nWhat drew you to Leeds? “The markets. Nothing beats "
    "them,” Bellini said.",
    say("Nothing beats", "Marco Bellini"),
)


# --- Fourth batch: name forms, channels, written words, captions, pronouns across women ----
case(
    "name-forms",
    "Det Insp Sian O'Rourke said the van had been stolen in Hull. “We are keeping an open mind,” "
    "Det Insp O'Rourke said.",
    say("open mind", "Sian O'Rourke"),
)
case(
    "name-forms",
    "Virgil van der Berg, the Dutch defender, limped off after 20 minutes. “It is only a knock,” "
    "van der Berg said.",
    say("only a knock", "Virgil van der Berg"),
)
case(
    "name-forms",
    "Ahmed al-Masri runs a bakery in Salford. “Flour has doubled in price,” Mr al-Masri said.",
    say("Flour has doubled", "Ahmed al-Masri"),
)
case(
    "name-forms",
    "Anne-Marie Duffy-Kerr chairs the parents' group. “We want answers,” said Ms Duffy-Kerr.",
    say("want answers", "Anne-Marie Duffy-Kerr"),
)
case(
    "name-forms",
    "J.R. Whitlock Jr. took over the family firm in 2010. “My father built this,” Whitlock said.",
    say("My father built this", "J.R. Whitlock Jr."),
)
case(
    "demonym",
    "Callum Bain, from Inverness, finished second. “I gave it everything,” the Scot said.",
    say("gave it everything", "Callum Bain"),
)
case(
    "pron-foreign",
    "Nguyen Thi Lan opened the clinic in 2015. Her patients travel from three counties. "
    "“Nobody else will see them,” she said.",
    say("Nobody else will see", "Nguyen Thi Lan"),
)
case(
    "pron-two-women-title",
    "Mrs Pearce and her neighbour, Ms Akhtar, both lost their homes. Ms Akhtar is staying "
    "with her sister. “I have nothing left,” she said.",
    say("nothing left", "Akhtar"),
)
case(
    "pron-interleave",
    "Ben Ward said the bridge was unsafe. Council engineer Tom Hale disagreed. “It passed "
    "every test,” he said. “I would not let my children cross it,” Ward said.",
    say("passed every test", "Tom Hale"),
    say("let my children", "Ben Ward"),
)
case(
    "told-channel",
    "Speaking to Sky News, Health Secretary Wes Carney said: “The strike will cost lives.”",
    say("cost lives", "Wes Carney"),
    nocast("Sky News"),
)
case(
    "told-channel",
    "“Prices will keep rising,” Bank governor Hanna Lind told BBC Radio 4's Today programme.",
    say("keep rising", "Hanna Lind"),
    nocast("BBC Radio"),
)
case(
    "written",
    "In a post on X, the club's owner, Raj Mehta, wrote: “We will rebuild.”",
    say("We will rebuild", "Raj Mehta"),
)
case(
    "written",
    "Dr Cora Lund wrote in the Lancet: “The evidence is overwhelming.” Her co-author, Prof "
    "Ian Moss, said the study took ten years.",
    say("overwhelming", "Cora Lund"),
)
case(
    "caption-quote",
    "Image caption, Kelly Marsh said she had “never seen anything like it”\n\nFloodwater reached "
    "the first floor of homes in Tewby.",
    noquote("never seen anything like it"),
    nocast("Kelly Marsh"),
)
case(
    "headline-name",
    "Starmer: ‘We will fix the NHS’\n\nThe prime minister made the pledge in Leeds. “It will "
    "take time,” he said.",
    noquote("We will fix the NHS"),
)

case(
    "name-of-org",
    "The report’s author, Professor Dilys Gwynne of Cardiff University, said: ‘The figures speak "
    "for themselves.’",
    say("speak for themselves", "Dilys Gwynne"),
)

# --- Fifth batch: descriptions named after, family names first, relations, agent nouns -------
case(
    "desc-named-after",
    "“Flights will resume on Thursday,” the authority said late on Tuesday. The Civil Aviation "
    "Authority did not say how many passengers were affected.",
    say("Flights will resume", "Civil Aviation Authority"),
)
case(
    "desc-named-after",
    "“Talks have broken down,” the union said. Both the Rail Workers Union and the Teachers "
    "Union plan ballots.",
    say("Talks have broken down", None),
)
case(
    "desc-named-after",
    "“We have paused all deliveries,” the company said on its website. Brightwater Supply "
    "Company employs 300 people in the county.",
    say("paused all deliveries", "Brightwater Supply Company"),
)
case(
    "family-first",
    "Pham Thi Hoa has sold noodles on the corner for 20 years. “The rent has doubled,” she said.",
    say("rent has doubled", "Pham Thi Hoa"),
)
case(
    "family-first",
    "Chen Mei Ling chairs the tenants' committee. “Nobody has fixed the lifts,” Mei Ling said.",
    say("fixed the lifts", "Chen Mei Ling"),
)
case(
    "family-first",
    "Spokeswoman Haley Morris confirmed the recall. “No one was hurt,” Morris said.",
    say("No one was hurt", "Haley Morris"),
)

case(
    "agent-noun",
    "Rosa Quint won the sprint in Leeds. “I did not expect to win today,” the cyclist said.",
    say("expect to win", "Rosa Quint"),
)
case(
    "agent-noun",
    "Senator Joe Lind released a report on Monday. “Costs will rise sharply,” the report said.",
    say("Costs will rise", None),
)
case(
    "agent-noun",
    "Leon Asante scored twice, once from a pass by Tom Reyes. “I am so proud,” the striker said.",
    say("so proud", None),
)
case(
    "relation-apposition",
    "Samuel Okoro was taken to hospital on Sunday. “He is a fighter,” said Mr Okoro's wife, Grace.",
    say("a fighter", "Grace"),
)
case(
    "relation-apposition",
    "Dev Mistry, 17, has been missing since May. “We just want him home,” said Dev’s aunt, Anjali, "
    "at a vigil on Friday.",
    say("want him home", "Anjali"),
)


def run_check(result: QuotesResult, check: Check) -> tuple[bool, str]:
    """Whether ``check`` holds on ``result``, and what was found."""
    if check.what == "say":
        hits = [q for q in result.quotes if check.key in q.text]
        if len(hits) != 1:
            return False, f"{len(hits)} quotes"
        got = hits[0].speaker.name if hits[0].speaker else None
        return got == check.want, repr(got)
    if check.what == "noquote":
        hits = [q.text[:30] for q in result.quotes if check.key in q.text]
        return not hits, repr(hits)
    if check.what == "nocast":
        names = [s.name for s in result.speakers]
        return check.key not in names, repr(names)
    roles = [s.role for s in result.speakers if s.name == check.key]
    return roles == [check.want], repr(roles)


def main() -> None:
    """Run every check and print the outcome by class."""
    engine = RuleQuoteEngine()
    failures_only = "--failures" in sys.argv
    by_class: dict[str, list[bool]] = defaultdict(list)
    for cls, text, checks in CASES:
        result = engine.extract(text)
        for check in checks:
            ok, got = run_check(result, check)
            by_class[cls].append(ok)
            if not (ok and failures_only):
                mark = "ok  " if ok else "FAIL"
                print(f"{mark} {cls:18} {check.what:8} {check.key[:28]!r:32} want {check.want!r} got {got}")
    total = sum(len(v) for v in by_class.values())
    passed = sum(sum(v) for v in by_class.values())
    for cls, oks in by_class.items():
        print(f"  {cls:18} {sum(oks)}/{len(oks)}")
    print(f"passed {passed}/{total}")


if __name__ == "__main__":
    main()
