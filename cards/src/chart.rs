//! How the answers to a vote are drawn, in one place for the browser and the HTML report: where
//! each dot of a dot plot goes, and how a role's group looks (its name, colour and marker).
//!
//! A dot plot has six columns, the scale points 1–5 and "pas", each `COLUMN_WIDTH` wide. Dots
//! stand on the bottom of the frame and stack upwards; when a column would rise out of the
//! frame, dots go side by side and get smaller. Every dot in one plot has the same size, so a
//! column of forty looks forty times as full as a column of one.

use crate::event::Position;
use crate::text::{Text, fixed};

/// The columns of a dot plot: the five scale points and "pas".
pub const COLUMNS: usize = 6;
pub const COLUMN_WIDTH: f64 = 60.0;
/// The width of the picture (the SVG's view box).
pub const WIDTH: f64 = COLUMN_WIDTH * COLUMNS as f64;

/// The column an answer goes in: 0–4 for the scale, 5 for a pass.
pub fn column(position: Position) -> usize {
    match position {
        Position::Scale(n) => usize::from(n.clamp(Position::MIN, Position::MAX) - Position::MIN),
        Position::Pass => COLUMNS - 1,
    }
}

/// The middle of a column, for its dots and its label.
pub fn column_x(column: usize) -> f64 {
    COLUMN_WIDTH * (column as f64 + 0.5)
}

/// The part of the picture the dots may fill, in view-box units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// The highest a dot may reach.
    pub top: f64,
    /// The line the dots stand on.
    pub bottom: f64,
    /// The size of a dot when there is room: its diameter, gap included.
    pub largest: f64,
}

/// One dot: its centre and radius.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

/// Where the dot of each answer goes, in the order given; answers that should stand together
/// in a column (one group's) should come together. All dots stay inside `frame` and the
/// column they belong to, whatever the number of answers.
pub fn dots(positions: &[Position], frame: Frame) -> Vec<Dot> {
    let mut counts = [0usize; COLUMNS];
    for position in positions {
        counts[column(*position)] += 1;
    }
    let (size, per_row) = cell(counts.into_iter().max().unwrap_or(0), frame);
    let mut placed = [0usize; COLUMNS];
    positions
        .iter()
        .map(|position| {
            let c = column(*position);
            let (index, in_column) = (placed[c], counts[c]);
            placed[c] += 1;
            let (row, place) = (index / per_row, index % per_row);
            // A row that is not full is centred.
            let in_row = per_row.min(in_column - row * per_row);
            let x = column_x(c) + (place as f64 - (in_row as f64 - 1.0) / 2.0) * size;
            let y = frame.bottom - size / 2.0 - row as f64 * size;
            Dot { x, y, r: size * 0.42 }
        })
        .collect()
}

/// The size of a dot's cell and how many go side by side, for the fullest column: the largest
/// cells that let `most` answers fit the frame.
fn cell(most: usize, frame: Frame) -> (f64, usize) {
    let height = (frame.bottom - frame.top).max(1.0);
    let width = COLUMN_WIDTH - 4.0;
    let mut best = (0.0, 1);
    for per_row in 1..=most.max(1) {
        let rows = most.div_ceil(per_row).max(1);
        let size = frame.largest.min(width / per_row as f64).min(height / rows as f64);
        if size > best.0 {
            best = (size, per_row);
        }
    }
    best
}

/// The role groups of the built-in decks, in the order legends list them.
pub const GROUPS: [&str; 5] = ["gezin", "netwerk", "professional", "gemeente", "clientvertegenwoordiging"];

/// What a role group is called. A group an uploaded deck made up is shown as it is written.
pub fn group_label(group: &str) -> Text {
    match group {
        "gezin" => Text::new("Gezin", "Family"),
        "netwerk" => Text::new("Netwerk", "Network"),
        "professional" => Text::new("Professional", "Professional"),
        "gemeente" => Text::new("Gemeente", "Municipality"),
        "clientvertegenwoordiging" => Text::new("Cliëntvertegenwoordiging", "Client representation"),
        other => Text::new(other, ""),
    }
}

/// Where a group stands in a legend: the known groups in their order, then the others by name.
pub fn group_order(group: &str) -> (usize, &str) {
    (GROUPS.iter().position(|known| *known == group).unwrap_or(GROUPS.len()), group)
}

/// The shape a group's dots have, so the groups stay apart in greyscale print and for eyes
/// that do not tell the colours apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Hexagon,
    Cross,
}

/// How one group's dots look, for the whole session and every screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupStyle {
    pub colour: &'static str,
    pub marker: Marker,
}

/// Okabe–Ito colours, chosen so their greys differ too (0.64, 0.84, 0.34, 0.47, 0) and each
/// with its own shape.
const KNOWN: [GroupStyle; 5] = [
    GroupStyle { colour: "#E69F00", marker: Marker::Circle },
    GroupStyle { colour: "#F0E442", marker: Marker::Square },
    GroupStyle { colour: "#0072B2", marker: Marker::Triangle },
    GroupStyle { colour: "#D55E00", marker: Marker::Diamond },
    GroupStyle { colour: "#000000", marker: Marker::TriangleDown },
];

/// For groups an uploaded deck made up: the other Okabe–Ito colours and a grey, with shapes
/// the known groups do not use.
const OTHERS: [GroupStyle; 4] = [
    GroupStyle { colour: "#56B4E9", marker: Marker::Hexagon },
    GroupStyle { colour: "#009E73", marker: Marker::Cross },
    GroupStyle { colour: "#CC79A7", marker: Marker::Hexagon },
    GroupStyle { colour: "#7F7F7F", marker: Marker::Cross },
];

/// A group's colour and marker. A group an uploaded deck made up gets one by its name, so it
/// looks the same on every screen and in every session.
pub fn group_style(group: &str) -> GroupStyle {
    if let Some(known) = GROUPS.iter().position(|known| *known == group) {
        return KNOWN[known];
    }
    // FNV-1a: stable everywhere, unlike the standard library's hasher.
    let hash = group.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193));
    OTHERS[hash as usize % OTHERS.len()]
}

impl Marker {
    /// The SVG path of the marker around (`x`, `y`), about as large as a circle of radius `r`.
    pub fn path(self, x: f64, y: f64, r: f64) -> String {
        let points = |corners: &[(f64, f64)]| {
            let mut path = String::new();
            for (i, (dx, dy)) in corners.iter().enumerate() {
                path.push(if i == 0 { 'M' } else { 'L' });
                path.push_str(&format!("{} {}", fixed(x + dx * r, 1), fixed(y + dy * r, 1)));
            }
            path.push('Z');
            path
        };
        match self {
            Marker::Circle => format!(
                "M{} {}a{r1} {r1} 0 1 0 {d} 0a{r1} {r1} 0 1 0 -{d} 0Z",
                fixed(x - r, 1),
                fixed(y, 1),
                r1 = fixed(r, 1),
                d = fixed(2.0 * r, 1)
            ),
            Marker::Square => points(&[(-0.88, -0.88), (0.88, -0.88), (0.88, 0.88), (-0.88, 0.88)]),
            Marker::Triangle => points(&[(0.0, -1.2), (1.1, 0.85), (-1.1, 0.85)]),
            Marker::TriangleDown => points(&[(0.0, 1.2), (1.1, -0.85), (-1.1, -0.85)]),
            Marker::Diamond => points(&[(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)]),
            Marker::Hexagon => {
                points(&[(0.0, -1.05), (0.91, -0.52), (0.91, 0.52), (0.0, 1.05), (-0.91, 0.52), (-0.91, -0.52)])
            }
            Marker::Cross => points(&[
                (-0.35, -1.0),
                (0.35, -1.0),
                (0.35, -0.35),
                (1.0, -0.35),
                (1.0, 0.35),
                (0.35, 0.35),
                (0.35, 1.0),
                (-0.35, 1.0),
                (-0.35, 0.35),
                (-1.0, 0.35),
                (-1.0, -0.35),
                (-0.35, -0.35),
            ]),
        }
    }
}

/// The background of a heat-map cell for a mean position: orange for disagreement (1) through
/// white (3) to teal for agreement (5), as `rgb(r,g,b)`.
pub fn heat(mean: f64) -> String {
    let t = ((mean - 3.0) / 2.0).clamp(-1.0, 1.0);
    let (r, g, b) = if t < 0.0 { (245.0, 190.0, 140.0) } else { (150.0, 210.0, 215.0) };
    let mix = |to: f64| (255.0 + (to - 255.0) * t.abs()).round() as u8;
    format!("rgb({},{},{})", mix(r), mix(g), mix(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: Frame = Frame { top: 24.0, bottom: 158.0, largest: 16.0 };
    const REPORT: Frame = Frame { top: 4.0, bottom: 90.0, largest: 12.0 };

    fn overlap(a: &Dot, b: &Dot) -> bool {
        ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt() < a.r + b.r
    }

    #[test]
    fn forty_equal_answers_fit_the_picture_without_overlapping() {
        for frame in [CLIENT, REPORT] {
            let answers = vec![Position::Scale(4); 40];
            let dots = dots(&answers, frame);
            assert_eq!(dots.len(), 40);
            let (left, right) = (column_x(3) - COLUMN_WIDTH / 2.0, column_x(3) + COLUMN_WIDTH / 2.0);
            for dot in &dots {
                assert!(dot.y - dot.r >= frame.top && dot.y + dot.r <= frame.bottom, "{dot:?} leaves {frame:?}");
                assert!(dot.x - dot.r >= left && dot.x + dot.r <= right, "{dot:?} leaves its column");
            }
            for (i, a) in dots.iter().enumerate() {
                assert!(dots[i + 1..].iter().all(|b| !overlap(a, b)), "{a:?} overlaps another dot");
            }
            assert!(dots[0].r >= 3.0, "still big enough to see and to hover: {}", dots[0].r);
        }
    }

    #[test]
    fn a_few_answers_stack_in_one_line_at_full_size() {
        let answers = [Position::Scale(1), Position::Scale(1), Position::Pass];
        let dots = dots(&answers, CLIENT);
        assert_eq!((dots[0].x, dots[1].x, dots[2].x), (30.0, 30.0, 330.0));
        assert_eq!(dots[0].y - dots[1].y, 16.0, "one above the other");
        assert_eq!(dots[0].y, dots[2].y, "every column starts at the bottom");
        assert!((dots[0].r - 16.0 * 0.42).abs() < 1e-9);
    }

    #[test]
    fn every_dot_in_a_plot_has_the_same_size() {
        let mut answers = vec![Position::Scale(2); 30];
        answers.push(Position::Scale(5));
        let dots = dots(&answers, REPORT);
        assert!(dots.iter().all(|dot| dot.r == dots[0].r));
    }

    #[test]
    fn groups_have_names_in_both_languages_and_unknown_ones_stay_as_written() {
        let label = group_label("clientvertegenwoordiging");
        assert_eq!((label.nl.as_str(), label.en.as_str()), ("Cliëntvertegenwoordiging", "Client representation"));
        assert_eq!(group_label("gemeente").get(crate::Lang::En), "Municipality");
        assert_eq!(group_label("Onderwijs").get(crate::Lang::En), "Onderwijs");
    }

    #[test]
    fn every_known_group_looks_different_in_colour_shape_and_grey() {
        let styles: Vec<GroupStyle> = GROUPS.iter().map(|group| group_style(group)).collect();
        let grey = |colour: &str| {
            let channel = |at: usize| f64::from(u8::from_str_radix(&colour[at..at + 2], 16).expect("hex"));
            0.299 * channel(1) + 0.587 * channel(3) + 0.114 * channel(5)
        };
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a.marker, b.marker);
                assert!((grey(a.colour) - grey(b.colour)).abs() > 25.0, "{a:?} and {b:?} print as one grey");
            }
        }
        assert_eq!(group_style("Onderwijs"), group_style("Onderwijs"), "an uploaded group keeps its look");
        assert!(!GROUPS.iter().any(|group| group_style(group).marker == group_style("Onderwijs").marker));
    }

    #[test]
    fn markers_are_closed_paths_around_their_centre() {
        assert_eq!(Marker::Circle.path(30.0, 50.0, 5.0), "M25.0 50.0a5.0 5.0 0 1 0 10.0 0a5.0 5.0 0 1 0 -10.0 0Z");
        assert_eq!(Marker::Square.path(0.0, 0.0, 10.0), "M-8.8 -8.8L8.8 -8.8L8.8 8.8L-8.8 8.8Z");
    }
}
