//! Why a command or a message was refused: a stable code for programs, a sentence for people.

use crate::text::Text;

/// Every reason Standpunt refuses input. The `code` strings are part of the protocol and never
/// change meaning; PROTOCOL.md lists them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("the message is not valid JSON")]
    BadJson,
    #[error("unknown message type")]
    UnknownType,
    #[error("malformed message: {0}")]
    BadMessage(String),
    #[error("unsupported protocol version")]
    UnsupportedProtocol,
    #[error("no room with this code")]
    UnknownRoom,
    #[error("unknown or expired token")]
    BadToken,
    #[error("say hello first")]
    NotJoined,
    #[error("already joined")]
    AlreadyJoined,
    #[error("only a trainer may do this")]
    NotTrainer,
    #[error("only a player may do this")]
    NotAPlayer,
    #[error("it is not your turn")]
    NotYourTurn,
    #[error("not possible at this point of the game")]
    WrongPhase,
    #[error("that card is not in your hand")]
    NotInHand,
    #[error("the name is empty")]
    NameEmpty,
    #[error("the name is too long")]
    NameTooLong,
    #[error("the name is taken")]
    NameTaken,
    #[error("a text is too long")]
    TextTooLong { field: &'static str, max: usize },
    #[error("the room is full")]
    RoomFull,
    #[error("the session has ended")]
    RoomEnded,
    #[error("too few players to start")]
    TooFewPlayers { min: usize },
    #[error("this statement names no term to define")]
    NoTermToDefine,
    #[error("a scale answer is a number from 1 to 10")]
    ScoreOutOfRange,
    #[error("only a speaker answers in a spiegelgesprek")]
    NotASpeaker,
    #[error("only a listener notes observations")]
    NotAListener,
    #[error("too many observations from this listener")]
    TooManyObservations { max: usize },
    #[error("no such observation")]
    UnknownObservation,
    #[error("no such case in this step")]
    UnknownCase,
    #[error("that question is not one of this step's")]
    UnknownQuestion,
    #[error("this step does not ask that")]
    NotAsked,
    #[error("no more proposals from this participant")]
    TooManyProposals { max: u8 },
    #[error("no such proposal")]
    UnknownProposal,
    #[error("the step holds as many proposals as it can")]
    ProposalsFull { max: u16 },
    #[error("more dots than allowed")]
    TooManyDots { max: u8, per_proposal: u8 },
    #[error("the event store is unavailable")]
    StoreUnavailable,
    #[error("the room is locked")]
    RoomLocked,
    #[error("there is no timer to pause or resume")]
    NoTimer,
    #[error("no such seat")]
    UnknownSeat,
    #[error("no such trainer")]
    UnknownTrainer,
    #[error("the last trainer cannot be removed")]
    LastTrainer,
    #[error("settings out of range")]
    BadSettings,
    #[error("no such deck")]
    UnknownDeck,
    #[error("a question deck has no step to play in this session")]
    QuestionsNotPlayed,
    #[error("a case deck needs a keukentafel step still to come")]
    CasesNotPlayed,
    #[error("too many wrong attempts from this address")]
    TooManyAttempts,
    #[error("the server has no room for more sessions")]
    ServerFull,
    #[error("too many votes on one statement")]
    TooManyVotes { max: u8 },
    #[error("this address opened too many sessions lately")]
    TooManyRooms { wait_seconds: u64 },
    #[error("the event store is full")]
    StoreFull,
    #[error("this session has had too many people come and go")]
    SeatsExhausted { max: u16 },
    #[error("too many decks for one room")]
    TooManyDecks { max: usize },
    #[error("too many deck uploads for this room")]
    TooManyUploads { max: u32 },
    #[error("the deck file is too large")]
    DeckTooLarge { max_kib: usize },
    #[error("the deck file is not text")]
    DeckNotText,
    #[error("the trainer refused this name")]
    NameRefused,
    #[error("too many participants joined from this address")]
    TooManyFromAddress { max: u8 },
    #[error("the name holds an invisible or control character")]
    NameInvisible,
    #[error("the name imitates the trainer")]
    NameReserved,
    #[error("no statement is left to play with these choices")]
    NoStatements,
    #[error("the role deck holds no such role")]
    UnknownRole,
    #[error("the agenda cannot be used: {0:?}")]
    BadAgenda(Text),
    #[error("the step running now is another work form")]
    NotThisStep,
    #[error("the last step of the agenda is running")]
    LastStep,
    #[error("a round is open in the running step")]
    RoundOpen,
    #[error("only steps that have not started can change")]
    StepStarted,
}

impl Rejection {
    /// The stable, snake_case code sent on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::BadJson => "bad_json",
            Rejection::UnknownType => "unknown_type",
            Rejection::BadMessage(_) => "bad_message",
            Rejection::UnsupportedProtocol => "unsupported_protocol",
            Rejection::UnknownRoom => "unknown_room",
            Rejection::BadToken => "bad_token",
            Rejection::NotJoined => "not_joined",
            Rejection::AlreadyJoined => "already_joined",
            Rejection::NotTrainer => "not_trainer",
            Rejection::NotAPlayer => "not_a_player",
            Rejection::NotYourTurn => "not_your_turn",
            Rejection::WrongPhase => "wrong_phase",
            Rejection::NotInHand => "not_in_hand",
            Rejection::NameEmpty => "name_empty",
            Rejection::NameTooLong => "name_too_long",
            Rejection::NameTaken => "name_taken",
            Rejection::TextTooLong { .. } => "text_too_long",
            Rejection::RoomFull => "room_full",
            Rejection::RoomEnded => "room_ended",
            Rejection::TooFewPlayers { .. } => "too_few_players",
            Rejection::NoTermToDefine => "no_term_to_define",
            Rejection::ScoreOutOfRange => "score_out_of_range",
            Rejection::UnknownQuestion => "unknown_question",
            Rejection::UnknownCase => "unknown_case",
            Rejection::NotASpeaker => "not_a_speaker",
            Rejection::NotAListener => "not_a_listener",
            Rejection::TooManyObservations { .. } => "too_many_observations",
            Rejection::UnknownObservation => "unknown_observation",
            Rejection::NotAsked => "not_asked",
            Rejection::TooManyProposals { .. } => "too_many_proposals",
            Rejection::UnknownProposal => "unknown_proposal",
            Rejection::ProposalsFull { .. } => "proposals_full",
            Rejection::TooManyDots { .. } => "too_many_dots",
            Rejection::StoreUnavailable => "store_unavailable",
            Rejection::RoomLocked => "room_locked",
            Rejection::NoTimer => "no_timer",
            Rejection::UnknownSeat => "unknown_seat",
            Rejection::UnknownTrainer => "unknown_trainer",
            Rejection::LastTrainer => "last_trainer",
            Rejection::BadSettings => "bad_settings",
            Rejection::UnknownDeck => "unknown_deck",
            Rejection::QuestionsNotPlayed => "questions_not_played",
            Rejection::CasesNotPlayed => "cases_not_played",
            Rejection::TooManyAttempts => "too_many_attempts",
            Rejection::ServerFull => "server_full",
            Rejection::TooManyVotes { .. } => "too_many_votes",
            // The same code as other lockouts: wait, then try again.
            Rejection::TooManyRooms { .. } => "too_many_attempts",
            Rejection::StoreFull => "store_full",
            Rejection::SeatsExhausted { .. } => "seats_exhausted",
            Rejection::TooManyDecks { .. } => "too_many_decks",
            Rejection::TooManyUploads { .. } => "too_many_uploads",
            Rejection::DeckTooLarge { .. } => "deck_too_large",
            Rejection::DeckNotText => "deck_not_text",
            Rejection::NameRefused => "name_refused",
            Rejection::TooManyFromAddress { .. } => "too_many_from_address",
            Rejection::NameInvisible => "name_invisible",
            Rejection::NameReserved => "name_reserved",
            Rejection::NoStatements => "no_statements",
            Rejection::UnknownRole => "unknown_role",
            Rejection::BadAgenda(_) => "bad_agenda",
            Rejection::NotThisStep => "not_this_step",
            Rejection::LastStep => "last_step",
            Rejection::RoundOpen => "round_open",
            Rejection::StepStarted => "step_started",
        }
    }

    /// What the person who sent it reads.
    pub fn message(&self) -> Text {
        match self {
            Rejection::BadJson => Text::new("Het bericht is geen geldige JSON.", "The message is not valid JSON."),
            Rejection::UnknownType => {
                Text::new("Onbekend berichttype; zie PROTOCOL.md.", "Unknown message type; see PROTOCOL.md.")
            }
            Rejection::BadMessage(detail) => {
                Text::new(format!("Het bericht klopt niet: {detail}."), format!("The message is malformed: {detail}."))
            }
            Rejection::UnsupportedProtocol => Text::new(
                "Deze versie van de app past niet bij de server; laad de pagina opnieuw.",
                "This version of the app does not match the server; reload the page.",
            ),
            Rejection::UnknownRoom => Text::new(
                "Er is geen sessie met deze code. Controleer de code.",
                "There is no session with this code. Check the code.",
            ),
            Rejection::BadToken => {
                Text::new("Deze toegangssleutel is onbekend of verlopen.", "This access key is unknown or has expired.")
            }
            Rejection::NotJoined => Text::new("Meld je eerst aan bij de sessie.", "Join the session first."),
            Rejection::AlreadyJoined => Text::new("Je doet al mee.", "You have already joined."),
            Rejection::NotTrainer => Text::new("Alleen de trainer kan dit doen.", "Only the trainer can do this."),
            Rejection::NotAPlayer => Text::new("Alleen deelnemers kunnen dit doen.", "Only participants can do this."),
            Rejection::NotYourTurn => Text::new("Je bent nu niet aan de beurt.", "It is not your turn."),
            Rejection::WrongPhase => Text::new(
                "Dat kan nu niet in dit deel van het spel.",
                "That is not possible at this point in the game.",
            ),
            Rejection::NotInHand => Text::new("Die kaart heb je niet in je hand.", "That card is not in your hand."),
            Rejection::NameEmpty => Text::new("Vul een naam in.", "Enter a name."),
            Rejection::NameTooLong => Text::new(
                format!("Een naam mag hoogstens {} tekens lang zijn.", crate::limits::MAX_NAME_CHARS),
                format!("A name can be at most {} characters long.", crate::limits::MAX_NAME_CHARS),
            ),
            Rejection::NameTaken => Text::new(
                "Die naam, of een die er net zo uitziet, is al in gebruik in deze sessie; kies een andere.",
                "That name, or one that looks the same, is already taken in this session; choose another one.",
            ),
            Rejection::TextTooLong { field, max } => {
                let (nl, en) = match *field {
                    "argument" => ("Je toelichting", "Your explanation"),
                    "definition" => ("Je omschrijving", "Your definition"),
                    _ => ("Deze tekst", "This text"),
                };
                Text::new(
                    format!("{nl} is te lang: hoogstens {max} tekens."),
                    format!("{en} is too long: at most {max} characters."),
                )
            }
            Rejection::RoomFull => Text::new("Deze sessie is vol.", "This session is full."),
            Rejection::RoomEnded => Text::new("Deze sessie is afgelopen.", "This session has ended."),
            Rejection::TooFewPlayers { min } => Text::new(
                format!("Er zijn minstens {min} deelnemers nodig om te beginnen."),
                format!("You need at least {min} participants to start."),
            ),
            Rejection::NoTermToDefine => Text::new(
                "Deze stelling noemt geen begrip om te omschrijven.",
                "This statement has no concept to define.",
            ),
            Rejection::ScoreOutOfRange => {
                Text::new("Kies een getal van 1 tot en met 10.", "Choose a number from 1 to 10.")
            }
            Rejection::NotASpeaker => Text::new(
                "In dit spiegelgesprek luister je; alleen de sprekers geven antwoord.",
                "In this mirror conversation you listen; only the speakers answer.",
            ),
            Rejection::NotAListener => Text::new(
                "Je bent spreker in dit gesprek; waarnemingen noteren is voor de luisteraars.",
                "You are a speaker in this conversation; noting observations is for the listeners.",
            ),
            Rejection::TooManyObservations { max } => Text::new(
                format!("Je hebt al {max} waarnemingen genoteerd in deze stap."),
                format!("You have already noted {max} observations in this step."),
            ),
            Rejection::UnknownObservation => {
                Text::new("Die waarneming bestaat niet in deze stap.", "That observation does not exist in this step.")
            }
            Rejection::UnknownCase => Text::new(
                "Die casus hoort niet bij deze stap van het draaiboek.",
                "That case is not part of this step of the draaiboek.",
            ),
            Rejection::UnknownQuestion => Text::new(
                "Die vraag hoort niet bij deze stap van het draaiboek.",
                "That question is not part of this step of the draaiboek.",
            ),
            Rejection::NotAsked => Text::new(
                "Deze stap vraagt daar niet naar; er is niets veranderd.",
                "This step does not ask for that; nothing changed.",
            ),
            Rejection::TooManyProposals { max } => Text::new(
                format!("Je hebt al {max} voorstellen gedaan; meer kan in deze stap niet."),
                format!("You have already made {max} proposals; this step takes no more."),
            ),
            Rejection::UnknownProposal => {
                Text::new("Dat voorstel bestaat niet (meer).", "That proposal does not exist (any more).")
            }
            Rejection::ProposalsFull { max } => Text::new(
                format!("Deze stap heeft al {max} voorstellen; voeg er eerst een paar samen."),
                format!("This step already holds {max} proposals; merge a few first."),
            ),
            Rejection::TooManyDots { max, per_proposal } => Text::new(
                format!("Je hebt {max} stippen, hoogstens {per_proposal} op één voorstel; er is niets veranderd."),
                format!("You have {max} dots, at most {per_proposal} on one proposal; nothing changed."),
            ),
            Rejection::StoreUnavailable => Text::new(
                "De server kan dit nu niet opslaan; er is niets veranderd. Probeer het zo opnieuw.",
                "The server cannot save this right now; nothing has changed. Try again shortly.",
            ),
            Rejection::RoomLocked => Text::new(
                "De trainer heeft de sessie op slot gedaan; nieuwe deelnemers kunnen niet meer meedoen.",
                "The trainer has locked the session; new participants cannot join.",
            ),
            Rejection::NoTimer => {
                Text::new("Er is geen timer om te pauzeren of te hervatten.", "There is no timer to pause or resume.")
            }
            Rejection::UnknownSeat => {
                Text::new("Die deelnemer is er niet (meer).", "That participant is not in the session (any more).")
            }
            Rejection::UnknownTrainer => {
                Text::new("Die trainer hoort niet bij deze sessie.", "That trainer is not part of this session.")
            }
            Rejection::LastTrainer => Text::new(
                "De laatste trainer kan niet stoppen: nodig eerst een andere trainer uit.",
                "The last trainer cannot step down: invite another trainer first.",
            ),
            Rejection::BadSettings => Text::new(
                "Deze instellingen kunnen niet: een hand heeft 1 tot 7 kaarten, een timer loopt 10 tot 900 seconden, rollen doorgeven kan om de 1 tot 50 rondes, hoogstens 40 rollen gaan voor en je kiest hoogstens 100 thema's en begrippen.",
                "These settings are not allowed: a hand has 1 to 7 cards, a timer runs for 10 to 900 seconds, roles can be passed on every 1 to 50 rounds, at most 40 roles go first and you pick at most 100 themes and terms.",
            ),
            Rejection::UnknownDeck => {
                Text::new("Dat deck bestaat niet op deze server.", "That deck does not exist on this server.")
            }
            Rejection::QuestionsNotPlayed => Text::new(
                "Dit is een deck met schaalvragen; deze sessie speelt stellingen en rollen. Er is niets veranderd.",
                "This is a deck of scale questions; this session plays statements and roles. Nothing changed.",
            ),
            Rejection::CasesNotPlayed => Text::new(
                "Dit is een deck met casussen, voor een keukentafeluitdaging. Voeg eerst een stap keukentafeluitdaging toe aan het draaiboek. Er is niets veranderd.",
                "This is a deck of cases, for a kitchen table challenge. First add a kitchen table step to the draaiboek. Nothing changed.",
            ),
            Rejection::TooManyAttempts => Text::new(
                "Te veel onbekende codes geprobeerd. Wacht een minuut en controleer de code.",
                "Too many unknown codes tried. Wait a minute and check the code.",
            ),
            Rejection::ServerFull => Text::new(
                "De server heeft geen ruimte voor meer sessies. Probeer het later opnieuw.",
                "The server has no room for more sessions. Try again later.",
            ),
            Rejection::TooManyRooms { wait_seconds } => {
                let minutes = wait_seconds.div_ceil(60).max(1);
                Text::new(
                    format!(
                        "Er zijn vanaf dit adres kort na elkaar veel sessies geopend. Probeer het over {minutes} {} opnieuw.",
                        if minutes == 1 { "minuut" } else { "minuten" }
                    ),
                    format!(
                        "Many sessions were opened from this address in a short time. Try again in {minutes} {}.",
                        if minutes == 1 { "minute" } else { "minutes" }
                    ),
                )
            }
            Rejection::StoreFull => Text::new(
                "De opslag van deze server is vol, dus er kan nu geen nieuwe sessie bij. Sessies die al lopen gaan gewoon door. Vraag de beheerder om ruimte te maken.",
                "This server's storage is full, so no new session can be opened now. Sessions already running carry on. Ask the administrator to make room.",
            ),
            Rejection::SeatsExhausted { max } => Text::new(
                format!(
                    "In deze sessie zijn al {max} keer mensen bijgekomen en weggegaan; er kan niemand meer bij. Vraag de trainer om een nieuwe sessie."
                ),
                format!(
                    "People have come and gone {max} times in this session; nobody else can join. Ask the trainer for a new session."
                ),
            ),
            Rejection::TooManyUploads { max } => Text::new(
                format!("In deze sessie zijn al {max} decks geüpload; meer kan niet."),
                format!("{max} decks have been uploaded in this session already; no more can be."),
            ),
            Rejection::DeckTooLarge { max_kib } => Text::new(
                format!("Dit bestand is te groot: een deck mag hoogstens {max_kib} kB zijn."),
                format!("This file is too large: a deck can be at most {max_kib} kB."),
            ),
            Rejection::NameRefused => Text::new(
                "De trainer heeft deze naam uit de sessie gehaald; met deze naam kun je niet meer meedoen.",
                "The trainer removed this name from the session; you cannot join under it again.",
            ),
            Rejection::TooManyFromAddress { max } => Text::new(
                format!("Er doen al {max} deelnemers mee vanaf dit netwerk. Vraag de trainer om meer toe te laten."),
                format!("{max} participants have already joined from this network. Ask the trainer to let more in."),
            ),
            Rejection::DeckNotText => Text::new(
                "Dit bestand is geen tekst. Sla het op als CSV (UTF-8) of als TOML.",
                "This file is not text. Save it as CSV (UTF-8) or as TOML.",
            ),
            Rejection::TooManyDecks { max } => Text::new(
                format!("Een sessie speelt met hoogstens {max} stapels stellingen tegelijk."),
                format!("A session plays with at most {max} statement decks at once."),
            ),
            Rejection::TooManyVotes { max } => Text::new(
                format!("Over één stelling kun je hoogstens {max} keer stemmen; ga door naar de volgende."),
                format!("A statement can be voted on at most {max} times; move on to the next one."),
            ),
            Rejection::NameInvisible => Text::new(
                "Een naam mag geen onzichtbare tekens of stuurtekens bevatten (zoals een spatie zonder breedte of een teken dat de tekstrichting omdraait). Typ je naam opnieuw.",
                "A name cannot contain invisible or control characters (such as a zero-width space or a mark that reverses the text direction). Type your name again.",
            ),
            Rejection::NameReserved => Text::new(
                "Die naam lijkt op die van de trainer; kies je eigen naam.",
                "That name looks like the trainer's; choose your own name.",
            ),
            Rejection::NoStatements => Text::new(
                "Met deze keuze van thema's en begrippen blijft geen stelling over om te spelen. Kies meer, of niets voor alle stellingen. (Vanuit je rol vallen ook stellingen af die niet elke rol kan beantwoorden.)",
                "With these themes and terms no statement is left to play. Choose more, or none for every statement. (Playing from your role also leaves out statements not every role can answer.)",
            ),
            Rejection::UnknownRole => Text::new(
                "Die rol zit niet in de stapel rollen van deze sessie.",
                "That role is not in this session's role deck.",
            ),
            Rejection::BadAgenda(problem) => Text::new(
                format!("Dit draaiboek kan niet: {}. Er is niets veranderd.", problem.nl),
                format!("This draaiboek cannot be used: {}. Nothing changed.", problem.get(crate::text::Lang::En)),
            ),
            Rejection::NotThisStep => Text::new(
                "Dat hoort bij een andere werkvorm dan die nu loopt; er is niets veranderd.",
                "That belongs to another work form than the one running now; nothing changed.",
            ),
            Rejection::LastStep => Text::new(
                "Dit is de laatste werkvorm van het draaiboek. Voeg een stap toe, of rond de sessie af.",
                "This is the draaiboek's last work form. Add a step, or end the session.",
            ),
            Rejection::RoundOpen => Text::new(
                "Er wordt nog geantwoord. Laat eerst de antwoorden zien (of sla de stelling over) en ga dan naar de volgende werkvorm.",
                "People are still answering. Show the answers first (or skip the statement), then move to the next work form.",
            ),
            Rejection::StepStarted => Text::new(
                "Een werkvorm die al begonnen is kan niet meer veranderen; pas alleen de stappen daarna aan.",
                "A work form that has started cannot change any more; change only the steps after it.",
            ),
        }
    }
}
