//! A zip archive of stored (uncompressed) files, as the debrief pack needs: a handful of small
//! text files a trainer opens with a double click. The format is PKWARE's APPNOTE (local file
//! headers, a central directory, its end record); names are UTF-8 (flag bit 11), so "één" in a
//! file name survives.

/// The archive of `files` (name, bytes), each dated `modified` (milliseconds since the epoch,
/// UTC; zip keeps local time to two seconds, from 1980).
pub fn stored(files: &[(String, Vec<u8>)], modified: u64) -> Vec<u8> {
    let (time, date) = dos_time(modified);
    let mut archive = Vec::new();
    let mut directory = Vec::new();
    for (name, bytes) in files {
        let offset = u32::try_from(archive.len()).unwrap_or(u32::MAX);
        let (crc, size, name_len) = (crc32(bytes), len32(bytes.len()), len16(name.len()));
        // Local file header: version 2.0, UTF-8 names, stored, time, date, CRC, sizes, name.
        archive.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        let common =
            [20u16.to_le_bytes(), UTF8.to_le_bytes(), 0u16.to_le_bytes(), time.to_le_bytes(), date.to_le_bytes()];
        common.iter().for_each(|field| archive.extend_from_slice(field));
        [crc, size, size].iter().for_each(|field| archive.extend_from_slice(&field.to_le_bytes()));
        [name_len, 0].iter().for_each(|field| archive.extend_from_slice(&field.to_le_bytes()));
        archive.extend_from_slice(name.as_bytes());
        archive.extend_from_slice(bytes);
        // Its entry in the central directory.
        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&20u16.to_le_bytes());
        common.iter().for_each(|field| directory.extend_from_slice(field));
        [crc, size, size].iter().for_each(|field| directory.extend_from_slice(&field.to_le_bytes()));
        // Name length, extra, comment, disk, internal and external attributes.
        [name_len, 0, 0, 0, 0].iter().for_each(|field| directory.extend_from_slice(&field.to_le_bytes()));
        directory.extend_from_slice(&0u32.to_le_bytes());
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let (start, size, count) = (len32(archive.len()), len32(directory.len()), len16(files.len()));
    archive.extend_from_slice(&directory);
    archive.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    [0, 0, count, count].iter().for_each(|field| archive.extend_from_slice(&field.to_le_bytes()));
    [size, start].iter().for_each(|field| archive.extend_from_slice(&field.to_le_bytes()));
    archive.extend_from_slice(&0u16.to_le_bytes());
    archive
}

/// General purpose flag: the file name is UTF-8.
const UTF8: u16 = 1 << 11;

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn len16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// MS-DOS time and date fields.
fn dos_time(ms: u64) -> (u16, u16) {
    let iso = crate::export::iso8601(ms);
    let part = |range: std::ops::Range<usize>| iso.get(range).and_then(|text| text.parse::<u16>().ok()).unwrap_or(0);
    let (year, month, day) = (part(0..4).max(1980), part(5..7).max(1), part(8..10).max(1));
    let (hour, minute, second) = (part(11..13), part(14..16), part(17..19));
    ((hour << 11) | (minute << 5) | (second / 2), ((year - 1980) << 9) | (month << 5) | day)
}

/// CRC-32 (IEEE 802.3, reflected, as zip and PNG use it).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// The files of a stored archive, each checked against its CRC; `None` for anything else.
/// For tests of a download and for tools that read a pack back.
pub fn read_stored(archive: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let u16_at = |at: usize| Some(u16::from_le_bytes(archive.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_le_bytes(archive.get(at..at + 4)?.try_into().ok()?));
    let mut files = Vec::new();
    let mut at = 0;
    while u32_at(at)? == 0x0403_4b50 {
        let (method, crc, size) = (u16_at(at + 8)?, u32_at(at + 14)?, u32_at(at + 18)? as usize);
        let (name_len, extra) = (usize::from(u16_at(at + 26)?), usize::from(u16_at(at + 28)?));
        let name = String::from_utf8(archive.get(at + 30..at + 30 + name_len)?.to_vec()).ok()?;
        let start = at + 30 + name_len + extra;
        let bytes = archive.get(start..start + size)?.to_vec();
        if method != 0 || crc32(&bytes) != crc {
            return None;
        }
        files.push((name, bytes));
        at = start + size;
    }
    (u32_at(at)? == 0x0201_4b50).then_some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crc_is_the_standard_one() {
        // The check value of CRC-32/ISO-HDLC (the catalogue of parametrised CRC algorithms).
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn an_archive_reads_back_with_its_names_and_bytes() {
        let files = vec![
            ("verslag.html".to_owned(), b"<!doctype html>".to_vec()),
            ("stap-1-één.csv".to_owned(), "\u{feff}a;b\n".as_bytes().to_vec()),
            ("leeg.txt".to_owned(), Vec::new()),
        ];
        let archive = stored(&files, 1_764_590_400_000);
        assert_eq!(read_stored(&archive), Some(files));
        let mut broken = archive.clone();
        broken[45] ^= 1;
        assert_eq!(read_stored(&broken), None, "a changed byte fails its CRC");
    }

    #[test]
    fn the_date_is_kept_in_dos_form() {
        // 2025-12-01 12:00:00 UTC.
        assert_eq!(dos_time(1_764_590_400_000), ((12 << 11), ((2025 - 1980) << 9) | (12 << 5) | 1));
    }
}
