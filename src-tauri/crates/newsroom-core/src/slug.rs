//! URL slugs, as WordPress would make them from a headline.

/// `"Minsk talks: what's next?"` → `"minsk-talks-whats-next"`. Accented and non-Latin
/// letters are transliterated (`Kovač` → `kovac`) so the slug survives any portal.
pub fn slugify(title: &str) -> String {
    let ascii = deunicode::deunicode(title);
    let mut slug = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    slug.truncate(slug.char_indices().nth(90).map_or(slug.len(), |(i, _)| i));
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_read_like_wordpress() {
        assert_eq!(
            slugify("Minsk talks: what's next?"),
            "minsk-talks-whats-next"
        );
        assert_eq!(slugify("  Ana Kovač — Жовква  "), "ana-kovac-zhovkva");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify("Ukraine War updates"), "ukraine-war-updates");
    }
}
