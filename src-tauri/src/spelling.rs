//! The spelling commands: the page's editor sends text, `newsroom_api::spelling` answers
//! the unknown words in the language the settings chose (the locale's when none).

use tauri::{AppHandle, Manager};

use newsroom_api::spelling::{Misspelling, SpellLanguages};

use crate::commands::blocking;
use crate::error::AppResult;
use crate::state::AppState;

/// The language the settings ask for (`None`: the locale's).
fn wanted(state: &AppState) -> Option<String> {
    state.settings().spell_language
}

#[tauri::command(rename_all = "snake_case")]
pub fn spell_languages(app: AppHandle) -> SpellLanguages {
    let state = app.state::<AppState>();
    state.spelling.languages(wanted(&state).as_deref())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn spell_check(
    app: AppHandle,
    text: String,
    names: Vec<String>,
) -> AppResult<Vec<Misspelling>> {
    blocking(app, move |state| {
        state
            .spelling
            .check(wanted(state).as_deref(), &text, &names)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn spell_suggest(app: AppHandle, word: String) -> AppResult<Vec<String>> {
    blocking(app, move |state| {
        state.spelling.suggest(wanted(state).as_deref(), &word)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn spell_learn(app: AppHandle, word: String) -> AppResult<()> {
    blocking(app, move |state| {
        state.spelling.learn(wanted(state).as_deref(), &word)
    })
    .await
}
