"""Regression cases of the blaming-language rules, shared by the rule tests and the trigger
tests (a sentence a rule flags must never be ruled out before parsing)."""

from __future__ import annotations

# (sentence, the flagged words, subtype): each guideline decision rule has a case here.
FLAGGED: list[tuple[str, str, str]] = [
    ("Mother failed to protect the children from FOB.", "failed to protect", "survivor_blame"),
    ("BM continues to expose the children to DV.", "expose the children to", "survivor_blame"),
    ("She keeps taking him back.", "keeps taking him back", "survivor_blame"),
    ("Mother allowed father to return to the home.", "allowed father to return", "survivor_blame"),
    ("Mother refuses to leave him despite the danger.", "refuses to leave him", "survivor_blame"),
    (
        "She refused to end the relationship with FOB.",
        "refused to end the relationship",
        "survivor_blame",
    ),
    ("BM is unwilling to separate from FOB.", "unwilling to separate", "survivor_blame"),
    ("Mother is in denial about the abuse.", "in denial", "pathologizing"),
    ("BM lacks insight into the impact on the kids.", "lacks insight", "pathologizing"),
    ("The parents have a volatile relationship.", "volatile relationship", "mutualizing"),
    ("The couple was referred to couples counseling.", "couples counseling", "mutualizing"),
    ("LE responded to a domestic dispute at the home.", "domestic dispute", "mutualizing"),
    ("Police responded to a domestic at the home.", "a domestic", "mutualizing"),
    ("Deputies were dispatched to a possible domestic.", "possible domestic", "mutualizing"),
    (
        "Her story changed several times during the interview.",
        "story changed several times",
        "pathologizing",
    ),
    ("Mother's account keeps changing.", "account keeps changing", "pathologizing"),
    (
        "BM was told if there is another incident the children may be removed.",
        "if there is another incident",
        "survivor_blame",
    ),
    (
        "Mother was advised that failure to follow this plan could result in removal.",
        "failure to follow this plan",
        "survivor_blame",
    ),
    # Another rule's words win over the condition that holds them.
    ("Continued failure to protect could lead to removal.", "failure to protect", "survivor_blame"),
    ("The parents have resolved their conflict.", "resolved their conflict", "mutualizing"),
    ("Mother presents with low self-esteem.", "low self-esteem", "pathologizing"),
    (
        "BM let her brother move back in after the incident.",
        "let her brother move back in",
        "survivor_blame",
    ),
    # "CW" far from the match is no "allowed CW to enter" (SB-ALLOW's `exclude_window`).
    (
        "Mother continues to allow FOB around the children despite being told by CW"
        " that he is a danger.",
        "allow FOB around the children",
        "survivor_blame",
    ),
    ("BM will work on her self-esteem in therapy.", "work on her self-esteem", "pathologizing"),
    (
        "If mother does not follow the safety plan, the children may be placed in foster care.",
        "If mother does not follow the safety plan",
        "survivor_blame",
    ),
    ("Her statements appear exaggerated.", "statements appear exaggerated", "pathologizing"),
    ("The argument got physical on Friday.", "argument got physical", "minimizing_excusing"),
    ("Father has anger issues.", "anger issues", "minimizing_excusing"),
    ("FOB has anger management issues.", "anger management issues", "minimizing_excusing"),
    ("Mr. Ward has anger control problems.", "anger control problems", "minimizing_excusing"),
    ("The children were not affected by the incident.", "not affected", "minimizing_excusing"),
    ("Mother was assaulted on 3/9.", "was assaulted", "agentless"),
    # Written in capitals (police CAD lines): the rules read a lowercased copy's parse, and the
    # offsets point into the text as written.
    ("MOTHER WAS HIT IN THE FACE.", "WAS HIT", "agentless"),
    ("MOTHER KEEPS CHOOSING HIM OVER HER CHILDREN.", "KEEPS CHOOSING HIM", "survivor_blame"),
    ("MOTHER ALLOWED FATHER TO RETURN TO THE HOME.", "ALLOWED FATHER TO RETURN", "survivor_blame"),
    (
        "FATHER SNAPPED WHEN SHE WOULD NOT GIVE HIM THE KEYS.",
        "FATHER SNAPPED",
        "minimizing_excusing",
    ),
    ("It was just a push.", "just a push", "minimizing_excusing"),
    ("There is DV between the parents.", "DV between the parents", "mutualizing"),
    # Between two named adults: the span ends on the second one, never on "and".
    (
        "The arguing between Mr. and Ms. Ruiz upsets the kids.",
        "arguing between Mr. and Ms. Ruiz",
        "mutualizing",
    ),
    ("He lost control and hit her.", "lost control", "minimizing_excusing"),
    # A title as the survivor's mention meets `require_near` ("Ms." is not "ms").
    ("Ms. Kaur has been resistant to services.", "resistant to services", "survivor_blame"),
    # British spellings of the cue words.
    (
        "Mum prioritised her boyfriend over the kids.",
        "prioritised her boyfriend over",
        "survivor_blame",
    ),
    ("Mum should have recognised the signs.", "should have recognised", "survivor_blame"),
    ("The children were not traumatised by it.", "not traumatised", "minimizing_excusing"),
    ("The parents were referred to a couples counsellor.", "couples counsellor", "mutualizing"),
    # spaCy lemmatizes "raped" as "rap": the rule lists the surface form too.
    ("She was raped in the bedroom.", "was raped", "agentless"),
    ("mom got punched in the kitchen", "got punched", "agentless"),
    ("The bedroom door was kicked in around 2 a.m.", "was kicked", "agentless"),
    ("Ms. Ruiz was choked, and a neighbor was called by the kids.", "was choked", "agentless"),
    # Coercive control done to a person, no actor (codebook 6.3): only with a person as subject.
    ("Ms. Sandoval was followed home from work twice.", "was followed", "agentless"),
    ("He was locked out of the apartment overnight.", "was locked", "agentless"),
    ("She was tracked through an app on her phone.", "was tracked", "agentless"),
    ("The children were locked in their bedroom.", "were locked", "agentless"),
    ("Both parents will complete anger management.", "anger management", "mutualizing"),
    ("Refer both adults to mediation for the visitation schedule.", "mediation", "mutualizing"),
    ("Mother yells at him too, so it goes both ways.", "it goes both ways", "mutualizing"),
    ("It takes two, and mom admits she yells at him too.", "It takes two", "mutualizing"),
    ("There is a lot of yelling on both sides.", "on both sides", "mutualizing"),
    # A protective order ended, framed as the survivor's choice; the perpetrator let back in by
    # name.
    (
        "Mother chose to dismiss the protective order.",
        "chose to dismiss the protective order",
        "survivor_blame",
    ),
    (
        "Ms. Dunn let Shannon come back after the assault.",
        "let Shannon come back",
        "survivor_blame",
    ),
    ("Dad just snapped after the layoff.", "Dad just snapped", "minimizing_excusing"),
    ("He hit her out of jealousy.", "out of jealousy", "minimizing_excusing"),
    ("She keeps going back to him.", "going back to him", "survivor_blame"),
    ("Mom went back to her boyfriend in May.", "went back to her boyfriend", "survivor_blame"),
    ("Honestly it feels like a high-conflict couple.", "high-conflict couple", "mutualizing"),
    # The agency's own notes and a plan are not sources: still the writer's words (6.14).
    ("Mother failed to protect them, per prior notes.", "failed to protect", "survivor_blame"),
    (
        "Per the safety plan, the couple will get couples counseling.",
        "couples counseling",
        "mutualizing",
    ),
]

# Sentences no rule may flag: the classic false positives.
NOT_FLAGGED: list[str] = [
    # Blaming words in a non-blaming sense.
    "Mother allowed CW to enter the home.",
    "The children were exposed to lead paint in the apartment.",
    "There was a fight at school between two students.",
    "Counsel made an argument about the custody schedule.",
    # Reported speech and quotes: facts about the speaker, not the writer's language.
    "FOB stated that BM provoked him.",
    "Father said she 'provoked' him.",
    'Mr. Hale told officers the argument "got physical" because she started it.',
    # Passives with an agent, or about non-violent events.
    "Ms. Lee was shoved by her wife, Dana Lee.",
    "The children were enrolled at Pine Hill Elementary.",
    "The referral was screened in on 3/3.",
    # Facts about where the children were.
    "The children were not present during the incident.",
    # Attribution anywhere in the sentence, or a source opening it (codebook 6.14), even
    # when the parser reads "RP states" as a noun compound.
    "BM was choked and had marks on her neck, per LE.",
    "RP states the couple downstairs has a volatile relationship.",
    "Neighbor believes mother was beaten up last week.",
    # An agent further down the clause; violence verbs in other senses.
    "Mr. Ortiz was struck with a broom handle by his partner, Luis Vega.",
    "The appointment with the housing worker got pushed to Friday.",
    "The family was kicked off the housing waitlist.",
    # "Domestic" as a modifier, not police shorthand for a dispute.
    "LE responded to a domestic violence call.",
    "She works as a domestic worker at the hotel.",
    "Deputies were dispatched to a possible domestic violence call.",
    # A specific change, a change under threat, an account that did not change.
    "His account of the incident changed after CW showed him the photos.",
    "Her statement changed several times after FOB threatened her.",
    "The child's story has not changed.",
    "He has an exaggerated startle response.",
    "She asked her employer to let her park in the lot by the door.",
    # A child's self-esteem; one the perpetrator's insults wore down.
    "Jaden has low self-esteem since the move, per his teacher.",
    "Ms. Obi said FOB's insults left her with low self-esteem.",
    # No threat: denied, the survivor's own choice, a perpetrator removed by police.
    "There is no removal planned, and visits stay supervised if the court orders it.",
    "Advocate will help her with a CHIPS petition if she wants.",
    "If FOB comes back, police will arrest him and he will be removed from the home.",
    # Mutualizing nouns that are denied: there was none.
    "There is no history of DV between the current caregivers.",
    "There was no domestic dispute between the parents.",
    # Idioms of mutuality in their literal senses; orders allowing contact by name; the agency
    # dropping its own referral.
    "It takes two hours to get to the clinic.",
    "Officer noted red marks on both sides of her neck.",
    "Neighbors on both sides know to call 911.",
    "The protective order allows Mr. Rostami supervised contact with the children.",
    "CW decided to drop the second referral.",
    # The coercive-control verbs' other senses: things as subjects, particles, figures of speech.
    "The safety plan was followed.",
    "The door was locked when CW arrived.",
    "Father was locked up for the weekend.",
    "Mother was tracked down at the shelter.",
    "Parents are locked in a power struggle over the children.",
    "Mother was followed by Mr. Reed in his truck.",
    # Remedies for the person who used violence are facts (codebook 6.22); ruling couples
    # counseling out is not recommending it.
    "Father completed 10 of 26 anger management sessions.",
    "Father is enrolled in an anger management program for his temper.",
    "Mother was raped by FOB in 2019.",
    # Not letting the perpetrator in is the survivor protecting (codebook 8).
    "1. Mother will not allow father into the home.",
    "BM refused to let FOB in when he showed up intoxicated.",
    # Refusing to leave a place is no survivor's choice to stay: the perpetrator's act, or a
    # frightened child's.
    "FOB refused to leave the home when asked by LE.",
    "6/2024 - he refused to leave and left before officers arrived.",
    "Kofi, 9, is refusing to leave his mother's side.",
    "Ms. Liang agrees not to let Mr. Aziz inside.",
    "MR. ORTIZ WAS STRUCK WITH A BROOM HANDLE BY HIS PARTNER, LUIS VEGA.",
    "Ms. Shevchenko's work hours are unstable (on-call scheduling).",
    "MGF lost control of his truck on black ice on 1/17.",
    "Ms. Ruiz lost control of her own money when FOB took her bank card.",
    "THE STROLLER STRAP SNAPPED ON THE BUS.",
    "Couples counseling is contraindicated while the violence continues.",
    # Everyday senses of "snapped", "went back to", "decided to move", "jealous".
    "The stroller strap snapped on the bus.",
    "Ms. Obi went back to her job at the clinic on Monday.",
    "Ms. Tran decided to move into the shelter with the kids.",
    "Mr. Haddad's husband is jealous of his coworkers.",
]
