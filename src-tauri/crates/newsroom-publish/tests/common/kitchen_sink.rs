//! The kitchen-sink article: every construct our Markdown produces (the block editor's
//! test publishes it, the snapshot test serialises it).

/// The article: every construct our Markdown produces.
pub fn kitchen_sink(word: &str) -> String {
    format!(
        "---\ntitle: Kitchen sink {word}\nstatus: draft\n---\n\
Opening paragraph with **bold**, *emphasis*, `code`, ~~struck~~, a [link](https://example.org/a?b=1&c=2 \"A title\"),\n\
a soft break, and a hard break  \n\
right here. Inline HTML: <sup>2</sup>, <sub>x</sub>, <mark>marked</mark>, <kbd>Ctrl</kbd>, <u>under</u>, <small>small</small>.\n\n\
An autolink https://example.com/path and a relative [note](notes/other.md) and an\n\
escaped \\[gallery] shortcode, & ampersands < and > quotes \"double\" 'single'.\n\n\
# Heading one\n\n## Heading two with *emphasis*\n\n### Heading three\n\n#### Four\n\n##### Five\n\n###### Six\n\n\
- unordered one\n- unordered **two**\n  - nested a\n  - nested b\n    1. deep ordered\n- three\n\n\
3. starts at three\n4. four\n\n\
1. ordered one\n2. ordered two\n\n\
- [x] done task\n- [ ] open task\n\n\
- loose item one\n\n  second paragraph of loose item\n\n- loose item two\n\n\
> A quote with *emphasis*.\n>\n> Second paragraph of the quote.\n>\n> - a list in a quote\n\n\
| Left | Centre | Right | None |\n|:-----|:------:|------:|------|\n| a | **b** | c | d |\n| e | f | `g` | h |\n\n\
![Alt text of the map](images/map.png \"The map title\")\n\n\
![Remote image](https://example.org/remote.png)\n\n\
Text with an inline ![small icon](images/map.png) image.\n\n\
Text with a raw inline <img src=\"images/map.png\" alt=\"raw icon\"> image.\n\n\
<figure><img src=\"https://example.org/fig.jpg\" alt=\"A figure\"><figcaption>The caption</figcaption></figure>\n\n\
```rust\nfn main() {{ let v = [1, 2]; if v[0] < 2 && true {{ println!(\"<hi>\"); }} }}\nhttps://example.org/isolated\n```\n\n\
```\nplain code, no language\n```\n\n\
    indented code block\n\n\
---\n\n\
A claim with a footnote.[^1] And another.[^note]\n\n\
[^1]: The first footnote, with *emphasis*.\n\
[^note]: The second footnote with a [link](https://example.org/).\n\n\
Setext heading\n==============\n\n\
## A [linked](https://example.org/h) heading with a note[^1]\n\n\
Line one\\\nline two after a backslash break.\n\n\
[Only a link](https://example.org/only)\n\n\
[![Linked image](images/map.png)](https://example.org/big)\n\n\
![](images/map.png)\n\n\
0. starts at zero\n1. one\n\n\
1) paren one\n2) paren two\n\n\
- item with code:\n\n  ```js\n  let x = 1;\n  ```\n- item with a quote:\n\n  > quoted in a list\n- item with a table-free **strong**[^note]\n  - [ ] nested task\n  - [x] nested done\n\n\
> ## Heading in a quote\n>\n> > A nested quote.\n>\n> ```\n> code in a quote\n> ```\n\n\
| Cell | With |\n|------|------|\n| a \\| pipe | <sup>1</sup> and a note[^1] |\n|  | empty first |\n\n\
***\n\n\
<div>A raw block <em>of HTML</em></div>\n\n\
Colons in relative paths: [the 10:30 notes](10:30-notes.md).\n\n\
![Chart of the day](2026-11-26:chart.png)\n\n\
Last paragraph {word}.\n"
    )
}
