# ruff: noqa: RUF001 - typographic quotes and dashes are part of the texts
"""The stress set: resolutions written for the tests, in the manner of ITU texts.

The wording is the tests' own (no ITU text is copied); the shape is that of real
resolutions of the World Telecommunication Standardization Assembly (WTSA), the
Plenipotentiary Conference (PP), the World Telecommunication Development Conference (WTDC),
the Radiocommunication Assembly (RA) and the Council: revisions and first adoptions,
preambles with and without letters, nested lists, unlabelled operative paragraphs, footnotes,
annexes (one with a table), headings in their many spellings, and references to Action Lines,
resolutions, SDG targets and paragraphs of the Geneva Plan of Action and the Tunis Agenda.
"""

from __future__ import annotations

from tests.corpus.model import Resolution, Section, Table, clause, section

__all__ = ["STRESS", "by_key"]

_ASSEMBLIES = {
    "WTSA": "The World Telecommunication Standardization Assembly",
    "PP": "The Plenipotentiary Conference of the International Telecommunication Union",
    "WTDC": "The World Telecommunication Development Conference",
}


def _intro(body: str, meeting: str) -> str:
    if body == "RA":
        return "The ITU Radiocommunication Assembly,"
    if body == "Council":
        return "The Council,"
    where = meeting.removeprefix("Rev. ")
    return f"{_ASSEMBLIES[body]} ({where}),"


def res(
    key: str,
    body: str,
    number: str,
    meeting: str,
    title: str,
    history: tuple[str, ...],
    *sections: Section,
    annex: tuple[str, ...] = (),
    table: Table | None = None,
    notes: tuple[str, ...] = (),
) -> Resolution:
    if meeting.startswith("Rev.") and history:
        assert history[-1] == meeting.removeprefix("Rev. "), key
    return Resolution(
        key=key,
        body=body,
        number=number,
        meeting=meeting,
        title=title,
        history=history,
        intro=_intro(body, meeting),
        sections=tuple(sections),
        annex=annex,
        table=table,
        prefix="ITU-R " if body == "RA" else "",
        notes=notes,
    )


DTSB = "the Director of the Telecommunication Standardization Bureau"
DBDT = "the Director of the Telecommunication Development Bureau"
DBR = "the Director of the Radiocommunication Bureau"
SG = "the Secretary-General"

STRESS: tuple[Resolution, ...] = (
    res(
        "wtsa-75",
        "WTSA",
        "75",
        "Rev. Dubai, 2018",
        "Standardization work of the Sector in support of the Action Lines of the World "
        "Summit on the Information Society",
        ("Johannesburg, 2008", "Dubai, 2012", "Hammamet, 2016", "Dubai, 2018"),
        section(
            "considering",
            clause(
                "a)",
                "that Resolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference "
                "sets out how the Union takes part in the follow-up of the Summit;",
            ),
            clause(
                "b)",
                "that the Sector moderates the work on Action Line C2 and Action Line C5 "
                "together with the other Sectors;",
            ),
            clause(
                "c)",
                "the texts of the Plenipotentiary Conference on this subject, among them:",
                clause("i)", "Resolution 71 (Rev. Dubai, 2018) on the strategic plan;"),
                clause("ii)", "Resolution 101 (Rev. Dubai, 2018) on networks based on IP;"),
                clause("iii)", "Resolution 178 (Guadalajara, 2010) on technical aspects,"),
            ),
        ),
        section(
            "recognizing",
            clause(
                "a)",
                "that § 12 of the Geneva Plan of Action asks for interoperable standards;",
            ),
            clause("b)", "that SDG target 9.c calls for affordable access to the Internet,"),
        ),
        section(
            "resolves",
            clause("1", "to keep the Action Lines in view when study groups plan their work;"),
            clause("2", "that the study groups report each year on what they did,"),
        ),
        section(
            f"instructs {DTSB}",
            clause("1", "to publish a yearly summary of the Sector’s work on Action Line C5;"),
            clause("2", "to send that summary to the Council Working Group,"),
        ),
        section(
            "invites Member States and Sector Members",
            "to contribute to the study groups on these matters.",
        ),
        notes=("revision", "nested roman list", "unlabelled operative"),
    ),
    res(
        "wtsa-90",
        "WTSA",
        "90",
        "Hammamet, 2016",
        "Open source in the work of the Telecommunication Standardization Sector",
        (),
        section(
            "considering",
            "that open source projects now carry much of the software that networks run on,",
        ),
        section(
            "recognising",
            clause("a)", "that standards and open code can reinforce each other;"),
            clause("b)", "that Action Line C7 (e-business) depends on common software,"),
        ),
        section(
            "decides",
            clause("1", "to study how open source can help the making of Recommendations;"),
            clause("2", "to hold a workshop on the matter before the next assembly,"),
        ),
        section(
            "instructs Study Groups 2 and 17",
            "to take account of open source projects in their current Questions.",
        ),
        notes=("first adoption", "preamble without letters", "decides", "study groups"),
    ),
    res(
        "wtsa-44",
        "WTSA",
        "44",
        "Rev. Geneva, 2022",
        "Narrowing the gap in standardization between developing and developed countries",
        ("Florianópolis, 2004", "Johannesburg, 2008", "Dubai, 2012", "Geneva, 2022"),
        section(
            "bearing in mind",
            clause(
                "a)",
                "that the Geneva Plan of Action, in § 21, calls for capacity building in "
                "every region;",
            ),
            clause(
                "b)",
                "that many developing countries take little part in study groups[^];",
                notes=("The least developed countries among them most of all.",),
            ),
            clause(
                "c)", "Resolution 123 (Rev. Bucharest, 2022) of the Plenipotentiary Conference,"
            ),
        ),
        section(
            "noting with satisfaction",
            "the regional groups of several study groups, which meet between the plenaries,",
        ),
        section(
            "resolves",
            clause("1", "to keep the programme for bridging the standardization gap;"),
            clause(
                "2",
                "that the programme has four parts:",
                clause("a)", "training on how Recommendations are drafted;"),
                clause("b)", "fellowships for delegates;"),
                clause("c)", "remote participation in meetings;"),
                clause("d)", "regional groups,"),
            ),
        ),
        section(
            f"requests {SG}",
            "to look for voluntary contributions to the fund for the programme.",
        ),
        notes=("footnote", "bearing in mind", "noting with satisfaction", "nested alpha list"),
    ),
    res(
        "wtsa-58",
        "WTSA",
        "58",
        "Rev. New Delhi, 2024",
        "Helping national computer incident response teams come into being",
        ("Johannesburg, 2008", "Dubai, 2012", "New Delhi, 2024"),
        section(
            "considering",
            clause("a)", "that trust in networks is the subject of Action Line C5;"),
            clause("b)", "that many countries still have no incident response team,"),
        ),
        section(
            "recalling",
            "Resolution 130 (Rev. Bucharest, 2022) of the Plenipotentiary Conference, on "
            "building confidence in the use of ICTs,",
        ),
        section(
            "resolves",
            "to support the creation of national teams, in particular in developing countries.",
        ),
        section(
            f"instructs {DTSB}, in cooperation with {DBDT}",
            clause("1", "to gather good practice on how such teams are set up;"),
            clause("2", "to help regions set up teams where they want them,"),
        ),
        section(
            "encourages Member States",
            "to put such a team among the priorities of their national plans.",
        ),
        annex=(
            "Annex to Resolution 58 (Rev. New Delhi, 2024)",
            "Steps towards a national team",
            "A country first names the agency that hosts the team, then sets out its "
            "mandate and the people it serves.",
        ),
        notes=("annex", "addressee with a second organ", "encourages"),
    ),
    res(
        "wtsa-50",
        "WTSA",
        "50",
        "Rev. Geneva, 2022",
        "Cybersecurity",
        ("Florianópolis, 2004", "Johannesburg, 2008", "Dubai, 2012", "Geneva, 2022"),
        section(
            "considering",
            clause(
                "a)",
                "that Action Lines C5 and C6 of the Geneva Plan of Action ask for secure and "
                "trusted networks;",
            ),
            clause("b)", "that attacks on networks grow in number and in cost;"),
            clause("c)", "that SDG target 16.10 and SDG target 9.1 depend on reliable networks,"),
        ),
        section(
            "considering further",
            "that standards alone cannot secure a network, but they help,",
        ),
        section(
            "resolves",
            clause("1", "to give high priority to security in the work of all study groups;"),
            clause(
                "2",
                "to keep a list of the security Recommendations the Sector has approved,",
            ),
        ),
        section(
            f"instructs {DTSB}",
            "to report each year to the Council on the progress of this work.",
        ),
        section(
            "calls upon Member States and Sector Members",
            "to take part in the work on security.",
        ),
        notes=("several Action Lines", "SDG targets", "calls upon"),
    ),
    res(
        "wtsa-96",
        "WTSA",
        "96",
        "Hammamet, 2016",
        "Studies on fighting counterfeit telecommunication equipment",
        (),
        section(
            "noting",
            clause("a)", "that counterfeit devices harm users and networks;"),
            clause("b)", "that the trade in such devices keeps growing,"),
        ),
        section(
            "recognizing",
            "that Resolution 188 (Busan, 2014) of the Plenipotentiary Conference asks the "
            "Sectors to study the matter,",
        ),
        section(
            "resolves",
            clause("1", "that Study Group 11 leads the studies;"),
            clause("2", "to develop guidelines for testing identifiers of devices,"),
        ),
        section(
            f"instructs {DTSB}",
            clause("1", "to organize workshops in the regions;"),
            clause("2", "to report to the next assembly,"),
        ),
        section(
            "invites Member States",
            "to take part in the studies and share their experience.",
        ),
        annex=(
            "Annex to Resolution 96 (Hammamet, 2016)",
            "Terms used in this resolution",
            "A counterfeit device is one that copies the mark of a maker without leave.",
        ),
        table=Table(
            "Table 1 – Work items",
            ("Item", "Lead group", "Target date"),
            (
                ("Identifier testing", "Study Group 11", "2018"),
                ("Conformity database", "Study Group 11", "2019"),
                ("Workshops", "TSB", "2017"),
            ),
        ),
        notes=("annex with a table", "first adoption"),
    ),
    res(
        "wtsa-1",
        "WTSA",
        "1",
        "Rev. Geneva, 2022",
        "Rules of procedure of the Telecommunication Standardization Sector",
        ("Helsinki, 1993", "Geneva, 1996", "Montreal, 2000", "Geneva, 2022"),
        section(
            "RECOGNIZING",
            clause("a)", "that the Sector needs clear rules for its meetings;"),
            clause("b)", "that the rules must follow the Constitution and the Convention,"),
        ),
        section(
            "resolves",
            clause("1", "that the rules in the annex apply to all meetings of the Sector;"),
            clause("2", "that the chairs of study groups apply them with judgement;"),
            clause("3", "that the Advisory Group may suggest changes between assemblies,"),
        ),
        section(
            "requests the Telecommunication Standardization Advisory Group",
            "to review the rules and report to the next assembly.",
        ),
        annex=(
            "ANNEX",
            "Section 1 – General",
            "1.1 The assembly meets every four years.",
            "1.2 Study groups meet as often as their work requires.",
        ),
        notes=("upper-case heading in the source", "ANNEX in capitals"),
    ),
    res(
        "wtsa-2",
        "WTSA",
        "2",
        "Rev. New Delhi, 2024",
        "Responsibilities and mandates of the study groups",
        ("Montreal, 2000", "Florianópolis, 2004", "Geneva, 2022", "New Delhi, 2024"),
        section(
            "considering",
            clause("a)", "that each study group needs a clear mandate;"),
            clause("b)", "that overlaps between groups waste the time of experts,"),
        ),
        section(
            "resolves",
            clause(
                "1",
                "that the lead study groups are:",
                clause("a)", "Study Group 2 for numbering and addressing;"),
                clause("b)", "Study Group 13 for future networks;"),
                clause("c)", "Study Group 17 for security;"),
            ),
            clause("2", "that groups coordinate when a Question touches another group,"),
        ),
        section(
            "instructs Study Groups 2, 13 and 17",
            "to review their Questions at their first meeting after this assembly.",
        ),
        notes=("nested list in operative part", "addressee with three groups"),
    ),
    res(
        "wtsa-73",
        "WTSA",
        "73",
        "Rev. Hammamet, 2016",
        "Information and communication technologies, environment and climate change",
        ("Johannesburg, 2008", "Dubai, 2012", "Hammamet, 2016"),
        section(
            "recalling",
            clause(
                "a)",
                "that Action Line C7 covers e-environment and the use of ICTs to watch the "
                "climate;",
            ),
            clause("b)", "that SDG target 13.3 asks for better awareness of climate change,"),
        ),
        section(
            "taking into account",
            "that networks themselves use a growing share of the world’s electricity,",
        ),
        section(
            "resolves",
            "to continue the work on the energy efficiency of networks and devices;",
            "to give attention to the needs of developing countries in this work,",
        ),
        section(
            f"instructs {DTSB}",
            clause("1", "to keep a list of Recommendations on energy efficiency;"),
            clause(
                "2",
                "to work with the Development Sector on e-waste[^],",
                notes=("Waste from electrical and electronic equipment.",),
            ),
        ),
        notes=("unlabelled resolves paragraphs", "footnote in operative part"),
    ),
    res(
        "wtsa-101",
        "WTSA",
        "101",
        "New Delhi, 2024",
        "Artificial intelligence in standardization",
        (),
        section(
            "considering",
            clause("a)", "that machine learning is used in the management of networks;"),
            clause(
                "b)",
                "that the work touches several Action Lines, among them:",
                clause("i)", "Action Line C3 (Access to information and knowledge);"),
                clause("ii)", "Action Line C4 (Capacity building);"),
                clause("iii)", "Action Line C10 (Ethical dimensions),"),
            ),
        ),
        section(
            "recognising further",
            "§ 9 of the Tunis Agenda on using ICTs as a tool for development,",
        ),
        section(
            "resolves",
            clause("1", "to coordinate the work on machine learning across study groups;"),
            clause("2", "to hold a yearly event on standards for machine learning,"),
        ),
        section(
            "invites Member States, Sector Members, Associates and Academia",
            "to contribute to this work.",
        ),
        notes=("first adoption", "Action Lines in a nested list", "Tunis Agenda"),
    ),
    res(
        "pp-140",
        "PP",
        "140",
        "Rev. Bucharest, 2022",
        "The Union’s part in carrying out the outcomes of the World Summit on the "
        "Information Society and the 2030 Agenda for Sustainable Development",
        ("Antalya, 2008", "Guadalajara, 2010", "Busan, 2014", "Dubai, 2018", "Bucharest, 2022"),
        section(
            "recalling",
            clause("a)", "the outcomes of both phases of the Summit;"),
            clause(
                "b)",
                "UNGA Resolution 70/1 on the 2030 Agenda for Sustainable Development;",
            ),
            clause("c)", "UNGA Resolution 70/125 on the overall review of the outcomes,"),
        ),
        section(
            "recognizing",
            clause(
                "a)",
                "that the Union is moderator and facilitator for Action Lines C2, C5 and C6;",
            ),
            clause(
                "b)",
                "that the Union takes part in the work on Action Lines C1, C3, C4, C7, C8, "
                "C9 and C11,",
            ),
        ),
        section(
            "resolves",
            clause("1", "that the Union keeps its lead role in the follow-up of the Summit;"),
            clause("2", "to align its work with SDG target 17.8 and SDG target 4.4,"),
        ),
        section(
            "instructs the Secretary-General",
            clause("1", "to report each year to the Council on this work;"),
            clause("2", "to keep the Council Working Group informed,"),
        ),
        section(
            "instructs the Directors of the Bureaux",
            "to take this resolution into account in the operational plans.",
        ),
        notes=("Action Line lists", "PP revision", "long history"),
    ),
    res(
        "pp-101",
        "PP",
        "101",
        "Rev. Dubai, 2018",
        "Networks based on the Internet Protocol",
        (
            "Minneapolis, 1998",
            "Marrakesh, 2002",
            "Antalya, 2006",
            "Guadalajara, 2010",
            "Dubai, 2018",
        ),
        section(
            "considering",
            "that IP-based networks carry most of the traffic of the world,",
        ),
        section(
            "noting",
            clause("a)", "that the cost of international links weighs on developing countries;"),
            clause("b)", "the work of Study Group 3 on the economics of such links,"),
        ),
        section(
            "resolves",
            "to study the matter further in the three Sectors.",
        ),
        section(
            "instructs the Secretary-General",
            "to report on progress to the next conference.",
        ),
        section(
            "invites Member States",
            "to take part in the studies.",
        ),
        notes=("many one-clause sections",),
    ),
    res(
        "pp-130",
        "PP",
        "130",
        "Rev. Bucharest, 2022",
        "Strengthening the Union’s role in building confidence and security in the use of "
        "information and communication technologies",
        ("Antalya, 2006", "Guadalajara, 2010", "Busan, 2014", "Dubai, 2018", "Bucharest, 2022"),
        section(
            "recalling",
            clause("a)", "Action Line C5 of the Geneva Plan of Action;"),
            clause("b)", "§ 15 of the Tunis Agenda;"),
            clause(
                "c)",
                "Resolution 50 (Rev. Geneva, 2022) of the World Telecommunication "
                "Standardization Assembly,",
            ),
        ),
        section(
            "aware",
            clause(
                None,
                "that the threats to networks cross borders[^],",
                notes=("Attacks may start in one country and strike in another.",),
            ),
        ),
        section(
            "resolves",
            clause("1", "to keep security a priority of the Union;"),
            clause("2", "to help Member States build skills in the field,"),
        ),
        section(
            f"instructs {DTSB} and {DBDT}",
            "to work together on these matters, each within its mandate.",
        ),
        section(
            "further instructs the Secretary-General",
            "to report on the results each year.",
        ),
        notes=("WTSA resolution cited from PP", "aware", "further instructs"),
    ),
    res(
        "pp-139",
        "PP",
        "139",
        "Rev. Dubai, 2018",
        "Using telecommunications to bridge the digital divide",
        ("Antalya, 2006", "Guadalajara, 2010", "Busan, 2014", "Dubai, 2018"),
        section(
            "considering",
            clause(
                "a)",
                "that half the people of the world still have no access to the Internet;",
            ),
            clause("b)", "that SDG target 9.c sets a goal for universal access;"),
            clause("c)", "that §§ 8 to 10 of the Geneva Plan of Action speak of infrastructure,"),
        ),
        section(
            "resolves",
            clause("1", "to continue to work towards universal and affordable access;"),
            clause("2", "to give priority to rural and remote areas,"),
        ),
        section(
            "encourages Member States",
            clause("1", "to adopt national broadband plans;"),
            clause("2", "to share good practices,"),
        ),
        section(
            "urges Member States",
            "to include connectivity in their development plans.",
        ),
        annex=(
            "Annex",
            "A short list of good practices gathered by the Bureau.",
        ),
        notes=("§§ range", "urges", "annex"),
    ),
    res(
        "pp-200",
        "PP",
        "200",
        "Rev. Bucharest, 2022",
        "Connect 2030 Agenda for global telecommunications",
        ("Busan, 2014", "Dubai, 2018", "Bucharest, 2022"),
        section(
            "considering",
            clause("a)", "the strategic goals of the Union for the next period;"),
            clause("b)", "SDG target 9.c and SDG target 17.6,"),
        ),
        section(
            "recognising",
            clause("a)", "that the targets need measurement;"),
            clause(
                "b)",
                "that measurement needs data from Member States[^];",
                notes=("Data gathered through the yearly questionnaires.",),
            ),
            clause("c)", "that Resolution 131 (Rev. Dubai, 2018) deals with indicators,"),
        ),
        section(
            "resolves",
            clause("1", "to adopt the Connect 2030 Agenda;"),
            clause("2", "to measure progress every year,"),
        ),
        section(
            "invites Member States and Sector Members",
            clause("1", "to contribute to the Agenda;"),
            clause("2", "to report their progress,"),
        ),
        notes=("footnote", "SDG targets"),
    ),
    res(
        "pp-214",
        "PP",
        "214",
        "Dubai, 2018",
        "Artificial intelligence technologies and telecommunications",
        (),
        section(
            "noting",
            "that machine learning is changing how networks are run,",
        ),
        section(
            "bearing in mind",
            "Action Line C10 of the Geneva Plan of Action on the ethics of the information "
            "society,",
        ),
        section(
            "resolves",
            "to keep the Union’s work on machine learning in step across the three Sectors.",
        ),
        section(
            "requests the Secretary-General",
            clause("1", "to coordinate the work of the Sectors;"),
            clause("2", "to report to the Council,"),
        ),
        notes=("first adoption PP", "unlabelled preambles"),
    ),
    res(
        "pp-179",
        "PP",
        "179",
        "Rev. Bucharest, 2022",
        "The Union’s role in child online protection",
        ("Guadalajara, 2010", "Busan, 2014", "Dubai, 2018", "Bucharest, 2022"),
        section(
            "considering",
            clause("a)", "that children are online ever younger;"),
            clause("b)", "that Action Line C10 and Action Line C5 bear on their safety,"),
        ),
        section(
            "welcoming",
            "the guidelines on child online protection published by the Union,",
        ),
        section(
            "resolves",
            clause("1", "to continue the initiative on child online protection;"),
            clause("2", "to update the guidelines regularly,"),
        ),
        section(
            "requests the Council Working Group on Child Online Protection",
            "to report on its work to each session of the Council.",
        ),
        annex=(
            "ANNEX TO RESOLUTION 179 (REV. BUCHAREST, 2022)",
            "Elements of a national strategy.",
        ),
        table=Table(
            "Roles",
            ("Actor", "Role"),
            (
                ("Government", "Sets the legal frame"),
                ("Industry", "Builds safer products"),
                ("Parents", "Guide the child"),
            ),
        ),
        notes=("annex heading in capitals", "table", "welcoming"),
    ),
    res(
        "wtdc-30",
        "WTDC",
        "30",
        "Rev. Kigali, 2022",
        "The role of the Development Sector in carrying out the outcomes of the Summit",
        ("Doha, 2006", "Hyderabad, 2010", "Dubai, 2014", "Buenos Aires, 2017", "Kigali, 2022"),
        section(
            "considering",
            clause(
                "a)", "Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference;"
            ),
            clause(
                "b)",
                "that the Development Sector leads the work on Action Line C2 with the "
                "other Sectors,",
            ),
        ),
        section(
            "recognizing",
            clause("a)", "that § 22 of the Geneva Plan of Action asks for regional initiatives;"),
            clause("b)", "that SDG target 5.b asks for women to use technology more,"),
        ),
        section(
            "resolves",
            clause("1", "to keep the Action Lines at the centre of the Sector’s programmes;"),
            clause("2", "to work with other agencies of the United Nations,"),
        ),
        section(
            f"instructs {DBDT}",
            clause("1", "to report each year on the Sector’s work for the Summit outcomes;"),
            clause(
                "2",
                "to give particular attention to:",
                clause("a)", "the least developed countries;"),
                clause("b)", "small island developing states;"),
                clause("c)", "landlocked developing countries;"),
            ),
        ),
        section(
            "invites Member States",
            "to contribute to the work of the Sector.",
        ),
        notes=("WTDC revision", "nested list in instructs"),
    ),
    res(
        "wtdc-37",
        "WTDC",
        "37",
        "Rev. Buenos Aires, 2017",
        "Bridging the digital divide",
        ("Istanbul, 2002", "Doha, 2006", "Hyderabad, 2010", "Dubai, 2014", "Buenos Aires, 2017"),
        section(
            "considering",
            clause(
                "a)",
                "that the divide between and within countries remains wide[^];",
                notes=("Between urban and rural areas as well as between countries.",),
            ),
            clause("b)", "that SDG target 9.c measures access to networks,"),
        ),
        section(
            "noting",
            "Resolution 139 (Rev. Dubai, 2018) of the Plenipotentiary Conference,",
        ),
        section(
            "resolves",
            clause("1", "to make the closing of the divide a priority of the Sector;"),
            clause("2", "to bring more women and girls into the digital economy,"),
        ),
        section(
            f"instructs {DBDT}",
            "to help Member States measure the divide.",
        ),
        notes=("footnote", "WTDC"),
    ),
    res(
        "wtdc-85",
        "WTDC",
        "85",
        "Kigali, 2022",
        "Facilitating the Internet of Things and smart cities for development",
        (),
        section(
            "considering",
            "that connected devices may help cities manage water, transport and energy,",
        ),
        section(
            "recognising",
            clause("a)", "that Action Line C7 covers e-government and e-environment;"),
            clause("b)", "that SDG target 11.3 asks for sustainable cities,"),
        ),
        section(
            "resolves",
            "to help developing countries plan their smart cities.",
        ),
        section(
            f"instructs {DBDT}, in cooperation with {DTSB}",
            clause("1", "to share case studies;"),
            clause("2", "to organize training,"),
        ),
        section(
            "invites Member States, Sector Members and Academia",
            "to share their experience.",
        ),
        notes=("first adoption WTDC", "addressee with a second organ"),
    ),
    res(
        "wtdc-45",
        "WTDC",
        "45",
        "Rev. Kigali, 2022",
        "Mechanisms for improving cooperation on cybersecurity",
        ("Doha, 2006", "Hyderabad, 2010", "Dubai, 2014", "Buenos Aires, 2017", "Kigali, 2022"),
        section(
            "recalling",
            clause(
                "a)", "Resolution 130 (Rev. Bucharest, 2022) of the Plenipotentiary Conference;"
            ),
            clause(
                "b)",
                "Resolution 58 (Rev. Geneva, 2022) of the World Telecommunication "
                "Standardization Assembly,",
            ),
        ),
        section(
            "considering",
            clause(
                "a)",
                "that many incidents reach several countries at once;",
            ),
            clause(
                "b)",
                "that developing countries lack:",
                clause("i)", "trained staff;"),
                clause("ii)", "tools for watching networks;"),
                clause("iii)", "legal frameworks,"),
            ),
        ),
        section(
            "resolves",
            clause("1", "to continue to help Member States in building capacity;"),
            clause("2", "to support regional cooperation on incident response,"),
        ),
        section(
            f"requests {DBDT}",
            "to hold regional exercises on cybersecurity.",
        ),
        notes=("nested list in preamble", "WTSA resolution cited"),
    ),
    res(
        "wtdc-17",
        "WTDC",
        "17",
        "Rev. Buenos Aires, 2017",
        "Carrying out regional initiatives at the national, regional and global levels",
        ("Valletta, 1998", "Istanbul, 2002", "Doha, 2006", "Hyderabad, 2010", "Buenos Aires, 2017"),
        section(
            "considering",
            clause("a)", "that each region adopted its own initiatives;"),
            clause("b)", "that the initiatives need funding and partners,"),
        ),
        section(
            "resolves",
            "to carry out the regional initiatives through projects;",
            "to seek partners for each project,",
        ),
        section(
            f"instructs {DBDT}",
            "to report on each initiative to the Advisory Group.",
        ),
        annex=(
            "Annex to Resolution 17 (Rev. Buenos Aires, 2017)",
            "The initiatives per region.",
        ),
        table=Table(
            "Regional initiatives",
            ("Region", "Initiative"),
            (
                ("Africa", "Digital skills for young people"),
                ("Americas", "Emergency networks"),
                ("Asia-Pacific", "Rural broadband"),
            ),
        ),
        notes=("table", "unlabelled resolves"),
    ),
    res(
        "ra-61",
        "RA",
        "61",
        "Rev. Sharm el-Sheikh, 2019",
        "The Radiocommunication Sector’s part in carrying out the outcomes of the Summit",
        ("Geneva, 2007", "Geneva, 2012", "Geneva, 2015", "Sharm el-Sheikh, 2019"),
        section(
            "considering",
            clause("a)", "that radio links reach places cables do not;"),
            clause("b)", "that the Sector takes part in the work on Action Line C2,"),
        ),
        section(
            "recognizing",
            "that Resolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference asks "
            "each Sector to contribute,",
        ),
        section(
            "resolves",
            clause("1", "to take account of the Summit outcomes in the Sector’s studies;"),
            clause("2", "to report on its contribution to the Council,"),
        ),
        section(
            f"instructs {DBR}",
            "to include this work in the yearly report of the Bureau.",
        ),
        notes=("RA prefix ITU-R",),
    ),
    res(
        "ra-65",
        "RA",
        "65",
        "Rev. Geneva, 2015",
        "Principles for the process of developing Recommendations for the future",
        ("Geneva, 2012", "Geneva, 2015"),
        section(
            "considering",
            "that Recommendations must stay stable while technology changes,",
        ),
        section(
            "noting",
            clause("a)", "that some Recommendations are referred to in the Radio Regulations;"),
            clause("b)", "that these need particular care when revised,"),
        ),
        section(
            "decides",
            clause("1", "that revisions keep backward compatibility where they can;"),
            clause("2", "that study groups mark the Recommendations concerned,"),
        ),
        section(
            "requests the study groups",
            "to apply these principles.",
        ),
        notes=("RA", "decides", "requests the study groups"),
    ),
    res(
        "ra-71",
        "RA",
        "71",
        "Sharm el-Sheikh, 2019",
        "The role of the Sector in the continuing development of television",
        (),
        section(
            "considering",
            clause("a)", "that broadcasting reaches most households;"),
            clause(
                "b)",
                "that Action Line C8 speaks of cultural diversity and local content[^],",
                notes=("Including content in local languages.",),
            ),
        ),
        section(
            "resolves",
            "to study the future of terrestrial broadcasting.",
        ),
        section(
            "invites Member States and Sector Members",
            "to contribute.",
        ),
        notes=("first adoption RA", "footnote"),
    ),
    res(
        "ra-69",
        "RA",
        "69",
        "Rev. Geneva, 2015",
        "Development and adoption of Resolutions of the Radiocommunication Assembly",
        ("Geneva, 2012", "Geneva, 2015"),
        section(
            "considering",
            clause("a)", "that the Assembly adopts Resolutions on its own work;"),
            clause("b)", "that Resolution ITU-R 1 sets out the working methods,"),
        ),
        section(
            "resolves",
            clause("1", "that a draft Resolution is sent to Member States in good time;"),
            clause("2", "that the Assembly may adopt it at once if no objection is made,"),
        ),
        annex=(
            "Annex",
            "The steps of adoption.",
        ),
        notes=("RA resolution cited", "annex", "no addressed section"),
    ),
    res(
        "council-1332",
        "Council",
        "1332",
        "modified 2019",
        "The Union’s role in carrying out the outcomes of the Summit and the 2030 Agenda",
        (),
        section(
            "considering",
            clause("a)", "Resolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference;"),
            clause("b)", "that the Council Working Group meets twice a year,"),
        ),
        section(
            "noting",
            "the roadmap of the Union for Action Lines C2, C5 and C6,",
        ),
        section(
            "decides",
            clause("1", "that the Working Group continues its work;"),
            clause("2", "that it remains open to all Member States and Sector Members,"),
        ),
        section(
            "instructs the Secretary-General",
            "to report to each session of the Council.",
        ),
        notes=("Council", "modified"),
    ),
    res(
        "council-1336",
        "Council",
        "1336",
        "modified 2019",
        "Council Working Group on international Internet-related public policy issues",
        (),
        section(
            "recalling",
            "§ 35 of the Tunis Agenda for the Information Society,",
        ),
        section(
            "resolves",
            clause("1", "that the Working Group is open to Member States;"),
            clause("2", "that it holds open consultations before each meeting,"),
        ),
        section(
            "instructs the Secretary-General",
            clause("1", "to publish the contributions to the consultations;"),
            clause("2", "to support the Working Group,"),
        ),
        notes=("Council", "Tunis Agenda paragraph"),
    ),
    res(
        "council-1344",
        "Council",
        "1344",
        "modified 2015",
        "Open consultation for the Council Working Group on Internet issues",
        (),
        section(
            "considering",
            "that all stakeholders have views on public policy for the Internet,",
        ),
        section(
            "decides",
            "that the Working Group holds an open online consultation before each meeting;",
            "that the consultation lasts at least four weeks,",
        ),
        section(
            "requests the Secretary-General",
            "to publish the results on the website of the Union.",
        ),
        notes=("Council", "unlabelled decides paragraphs"),
    ),
    res(
        "wtsa-66",
        "WTSA",
        "66",
        "Rev. Geneva, 2022",
        "Technology watch in the Telecommunication Standardization Bureau",
        ("Johannesburg, 2008", "Dubai, 2012", "Hammamet, 2016", "Geneva, 2022"),
        section(
            "considering",
            clause("a)", "that technology changes faster than standards;"),
            clause("b)", "that study groups need early warning of new subjects,"),
        ),
        section(
            "noting further",
            "the reports on technology watch the Bureau publishes,",
        ),
        section(
            "resolves",
            "to keep the technology watch function.",
        ),
        section(
            f"instructs {DTSB}",
            clause("1", "to publish short reports on new subjects;"),
            clause("2", "to share them with the Advisory Group,"),
        ),
        section(
            "invites the Telecommunication Standardization Advisory Group",
            "to consider the reports in its planning.",
        ),
        notes=("noting further", "invites an advisory group"),
    ),
    res(
        "wtsa-95",
        "WTSA",
        "95",
        "Hammamet, 2016",
        "Initiatives of the Sector for raising awareness of best practices and policies on "
        "service quality",
        (),
        section(
            "considering",
            clause("a)", "that service quality matters to users everywhere;"),
            clause(
                "b)",
                "that regulators need methods for measuring it[^],",
                notes=("Methods that can be applied without special equipment.",),
            ),
        ),
        section(
            "mindful",
            "of the work of Study Group 12 on performance and quality,",
        ),
        section(
            "resolves",
            "to raise awareness of the Recommendations on quality;",
            "to help regulators use them,",
        ),
        section(
            f"instructs {DTSB}",
            "to hold workshops on quality in each region.",
        ),
        annex=(
            "Annex to Resolution 95 (Hammamet, 2016)",
            "Topics for the workshops.",
        ),
        notes=("footnote", "mindful", "unlabelled resolves", "annex"),
    ),
    res(
        "wtdc-90",
        "WTDC",
        "90",
        "Kigali, 2022",
        "Open source tools for development",
        (),
        section(
            "recognizing",
            clause("a)", "that open tools cut the cost of building services;"),
            clause("b)", "that Action Line C4 and Action Line C6 depend on skills and rules,"),
        ),
        section(
            "resolves",
            "to promote open tools in the Sector’s projects.",
        ),
        section(
            f"requests {DBDT}",
            clause("1", "to build a catalogue of open tools;"),
            clause("2", "to train staff of Member States,"),
        ),
        notes=("first adoption WTDC",),
    ),
    res(
        "pp-205",
        "PP",
        "205",
        "Rev. Bucharest, 2022",
        "The Union’s role in public protection and disaster relief",
        ("Dubai, 2018", "Bucharest, 2022"),
        section(
            "considering",
            clause("a)", "that networks save lives in disasters;"),
            clause("b)", "that SDG target 1.5 and SDG target 11.5 deal with resilience;"),
            clause("c)", "that Action Line C7 covers e-environment and disaster warning,"),
        ),
        section(
            "recalling",
            clause(
                "a)",
                "Resolution 34 (Rev. Kigali, 2022) of the World Telecommunication "
                "Development Conference;",
            ),
            clause("b)", "Resolution 136 (Rev. Dubai, 2018),"),
        ),
        section(
            "resolves",
            clause("1", "to help Member States plan for emergency communications;"),
            clause("2", "to keep a list of experts ready to help,"),
        ),
        section(
            "instructs the Directors of the three Bureaux",
            "to coordinate their work on emergencies.",
        ),
        notes=("short revision history", "resolution without its body"),
    ),
)


def by_key(key: str) -> Resolution:
    for r in STRESS:
        if r.key == key:
            return r
    raise KeyError(key)
