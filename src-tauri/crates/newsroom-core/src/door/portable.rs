//! The door elsewhere: path checks with `symlink_metadata` on every component.
//! Weaker than the descriptor walk (a name can change between the check and the
//! open), but no link is followed by a check that passed.

use std::fs::File;
use std::path::PathBuf;

use super::{EXISTS, Entry, EntryKind, Fail, Folder, temp_name};

fn entry_of_meta(meta: &std::fs::Metadata) -> Entry {
    let ft = meta.file_type();
    let kind = if ft.is_symlink() {
        EntryKind::Symlink
    } else if ft.is_dir() {
        EntryKind::Folder
    } else if ft.is_file() {
        EntryKind::File
    } else {
        EntryKind::Other
    };
    Entry {
        kind,
        size: meta.len(),
        mtime_ns: meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64),
        mode: 0,
    }
}

impl Folder {
    fn walk(&self, comps: &[&str], create: bool) -> Result<PathBuf, Fail> {
        let mut cur = self.root.clone();
        for (i, name) in comps.iter().enumerate() {
            cur.push(name);
            match std::fs::symlink_metadata(&cur) {
                Ok(m) if m.file_type().is_dir() => {}
                Ok(m) => {
                    let e = entry_of_meta(&m);
                    return Err(Fail::Refused(
                        i,
                        if e.kind == EntryKind::File {
                            "is a file, not a folder".into()
                        } else {
                            e.kind.refusal().into()
                        },
                    ));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                    std::fs::create_dir(&cur).map_err(|e| Fail::Io(i, e))?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(Fail::NotFound);
                }
                Err(e) => return Err(Fail::Io(i, e)),
            }
        }
        Ok(cur)
    }

    pub(super) fn dir_at(&self, comps: &[&str], create: bool) -> Result<PathBuf, Fail> {
        self.walk(comps, create)
    }

    pub(super) fn entry_of(&self, comps: &[&str]) -> Result<Entry, Fail> {
        let (name, dirs) = comps.split_last().ok_or(Fail::NotFound)?;
        let p = self.walk(dirs, false)?.join(name);
        match std::fs::symlink_metadata(&p) {
            Ok(m) => Ok(entry_of_meta(&m)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Fail::NotFound),
            Err(e) => Err(Fail::Io(comps.len() - 1, e)),
        }
    }

    pub(super) fn open_file_at(&self, comps: &[&str]) -> Result<(File, Entry), Fail> {
        let last = comps.len().saturating_sub(1);
        let e = self.entry_of(comps)?;
        if e.kind != EntryKind::File {
            return Err(Fail::Refused(last, e.kind.refusal().into()));
        }
        let p = self.walk(&comps[..last], false)?.join(comps[last]);
        let file = File::open(&p).map_err(|e| Fail::Io(last, e))?;
        let meta = file.metadata().map_err(|e| Fail::Io(last, e))?;
        let entry = entry_of_meta(&meta);
        if entry.kind != EntryKind::File {
            return Err(Fail::Refused(last, entry.kind.refusal().into()));
        }
        Ok((file, entry))
    }

    pub(super) fn list_at(&self, comps: &[&str]) -> Result<Vec<(String, Entry)>, Fail> {
        let dir = self.walk(comps, false)?;
        let last = comps.len().saturating_sub(1);
        let mut out = Vec::new();
        for item in std::fs::read_dir(&dir)
            .map_err(|e| Fail::Io(last, e))?
            .flatten()
        {
            let Some(name) = item.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if let Ok(m) = std::fs::symlink_metadata(item.path()) {
                out.push((name, entry_of_meta(&m)));
            }
        }
        Ok(out)
    }

    pub(super) fn list_folders_at(&self, comps: &[&str]) -> Result<Vec<String>, Fail> {
        Ok(self
            .list_at(comps)?
            .into_iter()
            .filter(|(name, e)| e.kind == EntryKind::Folder && !name.starts_with('.'))
            .map(|(name, _)| name)
            .collect())
    }

    pub(super) fn remove_at(&self, comps: &[&str]) -> Result<bool, Fail> {
        let last = comps.len().saturating_sub(1);
        let p = match self.walk(&comps[..last], false) {
            Ok(d) => d.join(comps[last]),
            Err(Fail::NotFound) => return Ok(false),
            Err(f) => return Err(f),
        };
        match std::fs::remove_file(&p) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Fail::Io(last, e)),
        }
    }

    pub(super) fn write_at(
        &self,
        comps: &[&str],
        contents: &[u8],
        create_new: bool,
        _mode: Option<u32>,
    ) -> Result<(), Fail> {
        use std::io::Write;
        let last = comps.len().saturating_sub(1);
        let dir = self.walk(&comps[..last], true)?;
        let target = dir.join(comps[last]);
        match std::fs::symlink_metadata(&target) {
            Ok(_) if create_new => return Err(Fail::Refused(last, EXISTS.into())),
            Ok(m) if m.file_type().is_file() => {}
            Ok(m) => return Err(Fail::Refused(last, entry_of_meta(&m).kind.refusal().into())),
            Err(_) => {}
        }
        let tmp = dir.join(temp_name(comps[last], 0));
        let result = (|| -> std::io::Result<()> {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)?;
            f.write_all(contents)?;
            f.sync_all()?;
            drop(f);
            if create_new {
                std::fs::hard_link(&tmp, &target)?;
                std::fs::remove_file(&tmp)
            } else {
                std::fs::rename(&tmp, &target)
            }
        })();
        result.map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Fail::Refused(last, EXISTS.into())
            } else {
                Fail::Io(last, e)
            }
        })
    }
}
