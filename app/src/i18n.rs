//! The app's own words (buttons, notices, counts) in the language of the
//! agent's locale, so a German article never sits among English buttons.
//! One table per language; a language without one gets English. Article
//! text comes from the kb, never from here.

/// Every piece of interface text. `{n}`, `{locale}`, `{name}`, `{team}`,
/// `{date}` and `{commit}` are filled in by [`fill`].
#[derive(Debug)]
pub struct Texts {
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub results_label: &'static str,
    pub locale_label: &'static str,
    pub filters_label: &'static str,
    pub no_results: &'static str,
    /// Nothing found yet, while a later tier of the index may still find
    /// something (the first tier has no headings' words or bodies).
    pub no_results_yet: &'static str,
    pub one_result: &'static str,
    pub n_results: &'static str,
    pub one_article: &'static str,
    pub n_articles: &'static str,
    pub partial: &'static str,
    /// Said after the count when a pasted text was longer than a query is
    /// built from (`cuecard_engine::query::MAX_QUERY_CHARS`).
    pub query_cut: &'static str,
    pub loading: &'static str,
    /// While another locale's index loads; `{locale}`.
    pub locale_loading: &'static str,
    /// A locale that could not be loaded; `{locale}`, `{current}`.
    pub locale_failed: &'static str,
    /// The whole index of `{locale}` could not be loaded: its head
    /// (titles, summaries, headings) still answers.
    pub whole_index_failed: &'static str,
    /// Neither the head nor the whole index of `{locale}` could be loaded:
    /// its first tier (titles, other names, codes) still answers.
    pub later_tiers_failed: &'static str,
    pub opening: &'static str,
    pub search_unavailable: &'static str,
    pub could_not_open: &'static str,
    /// Under an article that could not be opened, when a newer kb is published.
    pub open_in_newer: &'static str,
    pub back_to_results: &'static str,
    pub back: &'static str,
    pub copied: &'static str,
    /// "Copy link": the search (query, filters, open article) as a link an
    /// agent shares on purpose; the address bar never holds the query.
    pub copy_link: &'static str,
    pub link_copied: &'static str,
    /// "Report a problem" with the open article: the button and the dialog.
    pub report_problem: &'static str,
    pub report_note: &'static str,
    pub report_open: &'static str,
    pub report_copy: &'static str,
    pub report_copied: &'static str,
    pub cancel: &'static str,
    pub copy_failed: &'static str,
    pub pin: &'static str,
    pub unpin: &'static str,
    pub pinned: &'static str,
    pub recent: &'static str,
    /// The group of articles suggested from the call's context.
    pub suggested: &'static str,
    /// On a result that only meaning-based matching found (it may share no
    /// word with what was typed).
    pub similar_in_meaning: &'static str,
    pub start_hint: &'static str,
    pub from_locale: &'static str,
    pub owner: &'static str,
    /// The owner when the kb names a person without a team.
    pub owner_alone: &'static str,
    pub reviewed_today: &'static str,
    pub reviewed_yesterday: &'static str,
    pub reviewed_days_ago: &'static str,
    pub never_reviewed: &'static str,
    /// When the article's content last changed (also in "What's new").
    pub updated_today: &'static str,
    pub updated_yesterday: &'static str,
    pub updated_days_ago: &'static str,
    /// The article changed since the agent last opened it.
    pub changed_since: &'static str,
    /// The "What's new" view: its title, what it lists (`{n}` days),
    /// when it lists nothing or could not load, the mark of a regulated
    /// article.
    pub whats_new: &'static str,
    pub whats_new_intro: &'static str,
    pub whats_new_empty: &'static str,
    pub whats_new_failed: &'static str,
    pub regulated: &'static str,
    pub review_overdue: &'static str,
    pub expired: &'static str,
    pub expires_soon: &'static str,
    pub expires_today: &'static str,
    pub fallback_notice: &'static str,
    /// The article was opened by an old id (`{old}`): it moved.
    pub moved_notice: &'static str,
    pub outdated_notice: &'static str,
    pub read_source: &'static str,
    pub reading_other_locale: &'static str,
    pub related: &'static str,
    pub other_locales: &'static str,
    pub built: &'static str,
    pub offline: &'static str,
    pub saved_offline: &'static str,
    /// The offline copy could not be updated to this version.
    pub offline_not_saved: &'static str,
    pub update_available: &'static str,
    pub switch_now: &'static str,
    pub later: &'static str,
    pub help_title: &'static str,
    pub help_open: &'static str,
    pub close: &'static str,
    pub shortcuts: [&'static str; 11],
}

/// The shortcut keys, in the order of [`Texts::shortcuts`].
pub const SHORTCUT_KEYS: [&str; 11] = ["/  Ctrl+K", "↑ ↓", "Enter", "Esc", "c", "p", "f", "n", "Alt+←", "?", "Tab"];

/// The texts for a locale tag (`de-DE` -> German).
pub fn texts(locale: Option<&str>) -> &'static Texts {
    let language = locale.map(cuecard_engine::locale::language_of).unwrap_or_default();
    match language.as_str() {
        "de" => &GERMAN,
        "es" => &SPANISH,
        "ja" => &JAPANESE,
        _ => &ENGLISH,
    }
}

/// Fills the `{key}` placeholders of `template`.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

/// "Reviewed 23 days ago", in the texts' language.
pub fn reviewed_ago(texts: &Texts, days: i64) -> String {
    match days {
        ..=0 => texts.reviewed_today.to_string(),
        1 => texts.reviewed_yesterday.to_string(),
        n => fill(texts.reviewed_days_ago, &[("n", &n.to_string())]),
    }
}

/// "Updated 3 days ago", in the texts' language.
pub fn updated_ago(texts: &Texts, days: i64) -> String {
    match days {
        ..=0 => texts.updated_today.to_string(),
        1 => texts.updated_yesterday.to_string(),
        n => fill(texts.updated_days_ago, &[("n", &n.to_string())]),
    }
}

/// What the count announces of a search's results: [`result_count`],
/// except that nothing found while `more_coming` (a later tier of the index
/// is still on its way, which may find what the first could not) is not
/// "No results": an agent who reads that stops looking.
pub fn results_announcement(texts: &Texts, total: usize, browsing: bool, more_coming: bool) -> String {
    if total == 0 && more_coming {
        return texts.no_results_yet.to_string();
    }
    result_count(texts, total, browsing)
}

/// "12 results" or "1 article" (browsing), in the texts' language.
pub fn result_count(texts: &Texts, total: usize, browsing: bool) -> String {
    let template = match (total, browsing) {
        (0, _) => texts.no_results,
        (1, false) => texts.one_result,
        (_, false) => texts.n_results,
        (1, true) => texts.one_article,
        (_, true) => texts.n_articles,
    };
    fill(template, &[("n", &total.to_string())])
}

pub static ENGLISH: Texts = Texts {
    search_label: "Search the knowledge base",
    search_placeholder: "Search policies, scripts, fixes…  ( / )",
    results_label: "Search results",
    locale_label: "Knowledge base language",
    filters_label: "Filter results",
    no_results: "No results",
    no_results_yet: "Nothing yet: searching the whole knowledge base…",
    one_result: "1 result",
    n_results: "{n} results",
    one_article: "1 article",
    n_articles: "{n} articles",
    partial: "(matching some of the words)",
    query_cut: "(long text: only its first 200 characters were searched)",
    loading: "Loading the knowledge base…",
    locale_loading: "Loading {locale}…",
    locale_failed: "{locale} could not be loaded. Still searching {current}.",
    whole_index_failed: "The full search index for {locale} could not be loaded: searching titles, summaries and headings only.",
    later_tiers_failed: "The full search index for {locale} could not be loaded: searching titles, other names and codes only.",
    opening: "Opening the article…",
    search_unavailable: "Search is unavailable until this is fixed. Reload the page to try again.",
    could_not_open: "This article could not be opened:",
    open_in_newer: "A newer knowledge base was published: “Switch now” above opens this article there.",
    back_to_results: "Back to results",
    back: "← Results",
    copied: "Copied ✓",
    copy_link: "Copy link",
    link_copied: "Link copied ✓",
    report_problem: "Report a problem",
    report_note: "What is wrong? (optional, one line; card numbers, phone numbers and e-mail addresses are removed)",
    report_open: "Open the report",
    report_copy: "Copy the report",
    report_copied: "Report copied: paste it where your knowledge team takes reports.",
    cancel: "Cancel",
    copy_failed: "Copy failed: select the text",
    pin: "Pin",
    unpin: "Unpin",
    pinned: "Pinned",
    recent: "Recently viewed",
    suggested: "Suggested for this call",
    similar_in_meaning: "Similar in meaning",
    start_hint: "Type to search. Pinned and recently viewed articles show here.",
    from_locale: "From {locale}: no {name} version yet",
    owner: "Owner: {name}, {team}",
    owner_alone: "Owner: {name}",
    reviewed_today: "Reviewed today",
    reviewed_yesterday: "Reviewed yesterday",
    reviewed_days_ago: "Reviewed {n} days ago",
    never_reviewed: "No review date recorded",
    updated_today: "Updated today",
    updated_yesterday: "Updated yesterday",
    updated_days_ago: "Updated {n} days ago",
    changed_since: "Changed since you last opened it",
    whats_new: "What's new",
    whats_new_intro: "Articles changed in the last {n} days, newest first.",
    whats_new_empty: "Nothing changed in the last {n} days.",
    whats_new_failed: "The list of changes could not be loaded. Search works as before.",
    regulated: "Regulated",
    review_overdue: "Review overdue by {n} days: figures and rules may have changed. Check with the owner before quoting them.",
    expired: "Expired {n} days ago: do not use this article. Ask the owner for the current guidance.",
    expires_soon: "Expires in {n} days.",
    expires_today: "Expires at the end of today.",
    fallback_notice: "Shown in {locale}: no {name} version yet.",
    moved_notice: "This article moved: the link or pin you used (“{old}”) now opens it here.",
    outdated_notice: "This translation is older than the {locale} article it comes from: details may have changed.",
    read_source: "Read the {locale} version",
    reading_other_locale: "You are reading the {locale} version.",
    related: "Related articles",
    other_locales: "In other languages",
    built: "Knowledge built {date}",
    offline: "Offline: searching the saved knowledge base",
    saved_offline: "Saved for offline use",
    offline_not_saved: "Not saved for offline use: a download failed",
    update_available: "A newer knowledge base was published ({date}).",
    switch_now: "Switch now",
    later: "Later",
    help_title: "Keyboard shortcuts",
    help_open: "Keyboard shortcuts (?)",
    close: "Close",
    shortcuts: [
        "Search from anywhere",
        "Move through results",
        "Open the result",
        "Back to the results, then clear the search",
        "Copy the focused (or first) script",
        "Pin or unpin the open article",
        "Report a problem with the open article",
        "What's new: articles changed lately",
        "Back",
        "Show these shortcuts",
        "Move between controls",
    ],
};

pub static GERMAN: Texts = Texts {
    search_label: "Wissensdatenbank durchsuchen",
    search_placeholder: "Richtlinien, Skripte, Lösungen suchen…  ( / )",
    results_label: "Suchergebnisse",
    locale_label: "Sprache der Wissensdatenbank",
    filters_label: "Ergebnisse filtern",
    no_results: "Keine Ergebnisse",
    no_results_yet: "Noch nichts: die ganze Wissensdatenbank wird durchsucht …",
    one_result: "1 Ergebnis",
    n_results: "{n} Ergebnisse",
    one_article: "1 Artikel",
    n_articles: "{n} Artikel",
    partial: "(mit einigen der Wörter)",
    query_cut: "(langer Text: nur die ersten 200 Zeichen wurden gesucht)",
    loading: "Wissensdatenbank wird geladen…",
    locale_loading: "{locale} wird geladen…",
    locale_failed: "{locale} konnte nicht geladen werden. Die Suche läuft weiter in {current}.",
    whole_index_failed: "Der vollständige Suchindex für {locale} konnte nicht geladen werden: Es werden nur Titel, Zusammenfassungen und Überschriften durchsucht.",
    later_tiers_failed: "Der vollständige Suchindex für {locale} konnte nicht geladen werden: Es werden nur Titel, andere Namen und Codes durchsucht.",
    opening: "Artikel wird geöffnet…",
    search_unavailable: "Die Suche ist nicht verfügbar, bis das behoben ist. Laden Sie die Seite neu, um es erneut zu versuchen.",
    could_not_open: "Dieser Artikel konnte nicht geöffnet werden:",
    open_in_newer: "Eine neuere Wissensdatenbank wurde veröffentlicht: „Jetzt wechseln“ oben öffnet den Artikel dort.",
    back_to_results: "Zurück zu den Ergebnissen",
    back: "← Ergebnisse",
    copied: "Kopiert ✓",
    copy_link: "Link kopieren",
    link_copied: "Link kopiert ✓",
    report_problem: "Problem melden",
    report_note: "Was ist falsch? (optional, eine Zeile; Kartennummern, Telefonnummern und E-Mail-Adressen werden entfernt)",
    report_open: "Meldung öffnen",
    report_copy: "Meldung kopieren",
    report_copied: "Meldung kopiert: Fügen Sie sie dort ein, wo Ihr Wissensteam Meldungen annimmt.",
    cancel: "Abbrechen",
    copy_failed: "Kopieren fehlgeschlagen: Text markieren",
    pin: "Anheften",
    unpin: "Lösen",
    pinned: "Angeheftet",
    recent: "Zuletzt angesehen",
    suggested: "Vorschläge für dieses Gespräch",
    similar_in_meaning: "Ähnlich in der Bedeutung",
    start_hint: "Tippen, um zu suchen. Angeheftete und zuletzt angesehene Artikel erscheinen hier.",
    from_locale: "Aus {locale}: noch keine Version auf {name}",
    owner: "Verantwortlich: {name}, {team}",
    owner_alone: "Verantwortlich: {name}",
    reviewed_today: "Heute geprüft",
    reviewed_yesterday: "Gestern geprüft",
    reviewed_days_ago: "Vor {n} Tagen geprüft",
    never_reviewed: "Kein Prüfdatum hinterlegt",
    updated_today: "Heute aktualisiert",
    updated_yesterday: "Gestern aktualisiert",
    updated_days_ago: "Vor {n} Tagen aktualisiert",
    changed_since: "Geändert seit Ihrem letzten Aufruf",
    whats_new: "Neuigkeiten",
    whats_new_intro: "In den letzten {n} Tagen geänderte Artikel, neueste zuerst.",
    whats_new_empty: "In den letzten {n} Tagen hat sich nichts geändert.",
    whats_new_failed: "Die Liste der Änderungen konnte nicht geladen werden. Die Suche funktioniert weiter.",
    regulated: "Reguliert",
    review_overdue: "Prüfung seit {n} Tagen überfällig: Beträge und Regeln können sich geändert haben. Vor dem Zitieren bei der verantwortlichen Person nachfragen.",
    expired: "Seit {n} Tagen abgelaufen: diesen Artikel nicht verwenden. Die verantwortliche Person nach den aktuellen Vorgaben fragen.",
    expires_soon: "Läuft in {n} Tagen ab.",
    expires_today: "Läuft heute ab.",
    fallback_notice: "Angezeigt auf {locale}: noch keine Version auf {name}.",
    moved_notice: "Dieser Artikel ist umgezogen: Ihr Link oder Pin („{old}“) öffnet ihn jetzt hier.",
    outdated_notice: "Diese Übersetzung ist älter als der {locale}-Artikel, aus dem sie stammt: Details können sich geändert haben.",
    read_source: "Version auf {locale} lesen",
    reading_other_locale: "Sie lesen die Version auf {locale}.",
    related: "Verwandte Artikel",
    other_locales: "In anderen Sprachen",
    built: "Wissensstand vom {date}",
    offline: "Offline: Suche in der gespeicherten Wissensdatenbank",
    saved_offline: "Für die Offline-Nutzung gespeichert",
    offline_not_saved: "Nicht für die Offline-Nutzung gespeichert: ein Download ist fehlgeschlagen",
    update_available: "Eine neuere Wissensdatenbank wurde veröffentlicht ({date}).",
    switch_now: "Jetzt wechseln",
    later: "Später",
    help_title: "Tastenkürzel",
    help_open: "Tastenkürzel (?)",
    close: "Schließen",
    shortcuts: [
        "Von überall suchen",
        "Durch die Ergebnisse bewegen",
        "Ergebnis öffnen",
        "Zurück zu den Ergebnissen, dann Suche leeren",
        "Markiertes (oder erstes) Skript kopieren",
        "Offenen Artikel anheften oder lösen",
        "Problem mit dem offenen Artikel melden",
        "Neuigkeiten: kürzlich geänderte Artikel",
        "Zurück",
        "Diese Tastenkürzel anzeigen",
        "Zwischen Bedienelementen wechseln",
    ],
};

pub static SPANISH: Texts = Texts {
    search_label: "Buscar en la base de conocimiento",
    search_placeholder: "Buscar políticas, guiones, soluciones…  ( / )",
    results_label: "Resultados de búsqueda",
    locale_label: "Idioma de la base de conocimiento",
    filters_label: "Filtrar resultados",
    no_results: "Sin resultados",
    no_results_yet: "Nada todavía: buscando en toda la base de conocimiento…",
    one_result: "1 resultado",
    n_results: "{n} resultados",
    one_article: "1 artículo",
    n_articles: "{n} artículos",
    partial: "(con algunas de las palabras)",
    query_cut: "(texto largo: solo se buscaron los primeros 200 caracteres)",
    loading: "Cargando la base de conocimiento…",
    locale_loading: "Cargando {locale}…",
    locale_failed: "No se pudo cargar {locale}. Se sigue buscando en {current}.",
    whole_index_failed: "No se pudo cargar el índice de búsqueda completo de {locale}: solo se buscan títulos, resúmenes y encabezados.",
    later_tiers_failed: "No se pudo cargar el índice de búsqueda completo de {locale}: solo se buscan títulos, otros nombres y códigos.",
    opening: "Abriendo el artículo…",
    search_unavailable: "La búsqueda no está disponible hasta que se corrija. Recargue la página para volver a intentarlo.",
    could_not_open: "No se pudo abrir este artículo:",
    open_in_newer: "Se publicó una base de conocimiento más reciente: «Cambiar ahora», arriba, abre este artículo allí.",
    back_to_results: "Volver a los resultados",
    back: "← Resultados",
    copied: "Copiado ✓",
    copy_link: "Copiar enlace",
    link_copied: "Enlace copiado ✓",
    report_problem: "Informar de un problema",
    report_note: "¿Qué está mal? (opcional, una línea; se eliminan números de tarjeta, teléfonos y correos)",
    report_open: "Abrir el informe",
    report_copy: "Copiar el informe",
    report_copied: "Informe copiado: péguelo donde su equipo de conocimiento recibe los informes.",
    cancel: "Cancelar",
    copy_failed: "No se pudo copiar: seleccione el texto",
    pin: "Fijar",
    unpin: "Quitar",
    pinned: "Fijados",
    recent: "Vistos recientemente",
    suggested: "Sugerencias para esta llamada",
    similar_in_meaning: "Significado similar",
    start_hint: "Escriba para buscar. Aquí aparecen los artículos fijados y los vistos recientemente.",
    from_locale: "De {locale}: aún no hay versión en {name}",
    owner: "Responsable: {name}, {team}",
    owner_alone: "Responsable: {name}",
    reviewed_today: "Revisado hoy",
    reviewed_yesterday: "Revisado ayer",
    reviewed_days_ago: "Revisado hace {n} días",
    never_reviewed: "Sin fecha de revisión",
    updated_today: "Actualizado hoy",
    updated_yesterday: "Actualizado ayer",
    updated_days_ago: "Actualizado hace {n} días",
    changed_since: "Cambió desde la última vez que lo abrió",
    whats_new: "Novedades",
    whats_new_intro: "Artículos modificados en los últimos {n} días, los más recientes primero.",
    whats_new_empty: "Nada cambió en los últimos {n} días.",
    whats_new_failed: "No se pudo cargar la lista de cambios. La búsqueda sigue funcionando.",
    regulated: "Regulado",
    review_overdue: "Revisión vencida hace {n} días: montos y reglas pueden haber cambiado. Consulte al responsable antes de citarlos.",
    expired: "Vencido hace {n} días: no use este artículo. Pida al responsable la guía vigente.",
    expires_soon: "Vence en {n} días.",
    expires_today: "Vence hoy.",
    fallback_notice: "Se muestra en {locale}: aún no hay versión en {name}.",
    moved_notice: "Este artículo se ha movido: el enlace o la fijación que usó («{old}») ahora lo abre aquí.",
    outdated_notice: "Esta traducción es anterior al artículo en {locale} del que proviene: algunos detalles pueden haber cambiado.",
    read_source: "Leer la versión en {locale}",
    reading_other_locale: "Está leyendo la versión en {locale}.",
    related: "Artículos relacionados",
    other_locales: "En otros idiomas",
    built: "Conocimiento del {date}",
    offline: "Sin conexión: buscando en la base de conocimiento guardada",
    saved_offline: "Guardado para usar sin conexión",
    offline_not_saved: "No guardado para usar sin conexión: falló una descarga",
    update_available: "Se publicó una base de conocimiento más reciente ({date}).",
    switch_now: "Cambiar ahora",
    later: "Más tarde",
    help_title: "Atajos de teclado",
    help_open: "Atajos de teclado (?)",
    close: "Cerrar",
    shortcuts: [
        "Buscar desde cualquier lugar",
        "Moverse por los resultados",
        "Abrir el resultado",
        "Volver a los resultados y luego borrar la búsqueda",
        "Copiar el guion enfocado (o el primero)",
        "Fijar o quitar el artículo abierto",
        "Informar de un problema con el artículo abierto",
        "Novedades: artículos modificados hace poco",
        "Atrás",
        "Mostrar estos atajos",
        "Moverse entre controles",
    ],
};

pub static JAPANESE: Texts = Texts {
    search_label: "ナレッジベースを検索",
    search_placeholder: "ポリシー・スクリプト・対処法を検索…  ( / )",
    results_label: "検索結果",
    locale_label: "ナレッジベースの言語",
    filters_label: "結果を絞り込む",
    no_results: "結果なし",
    no_results_yet: "まだ結果がありません。ナレッジベース全体を検索しています…",
    one_result: "1 件",
    n_results: "{n} 件",
    one_article: "1 記事",
    n_articles: "{n} 記事",
    partial: "(一部の語に一致)",
    query_cut: "（長い文章のため、最初の200文字だけを検索しました）",
    loading: "ナレッジベースを読み込み中…",
    locale_loading: "{locale} を読み込み中…",
    locale_failed: "{locale} を読み込めませんでした。引き続き {current} を検索します。",
    whole_index_failed: "{locale} の完全な検索インデックスを読み込めませんでした。タイトル、概要、見出しのみを検索しています。",
    later_tiers_failed: "{locale} の完全な検索インデックスを読み込めませんでした。タイトル、別名、コードのみを検索しています。",
    opening: "記事を開いています…",
    search_unavailable: "この問題が解決するまで検索は使えません。ページを再読み込みしてください。",
    could_not_open: "この記事を開けませんでした:",
    open_in_newer: "新しいナレッジベースが公開されました。上の「今すぐ切り替える」でこの記事を開けます。",
    back_to_results: "結果に戻る",
    back: "← 結果",
    copied: "コピーしました ✓",
    copy_link: "リンクをコピー",
    link_copied: "リンクをコピーしました ✓",
    report_problem: "問題を報告",
    report_note: "何が間違っていますか？（任意・1 行。カード番号、電話番号、メールアドレスは削除されます）",
    report_open: "報告を開く",
    report_copy: "報告をコピー",
    report_copied: "報告をコピーしました。ナレッジチームの受付先に貼り付けてください。",
    cancel: "キャンセル",
    copy_failed: "コピーできません: テキストを選択してください",
    pin: "ピン留め",
    unpin: "ピン留めを外す",
    pinned: "ピン留め",
    recent: "最近見た記事",
    suggested: "この通話へのおすすめ",
    similar_in_meaning: "意味が近い結果",
    start_hint: "入力して検索。ピン留めした記事と最近見た記事がここに表示されます。",
    from_locale: "{locale} の記事: {name} 版はまだありません",
    owner: "担当: {name}({team})",
    owner_alone: "担当: {name}",
    reviewed_today: "本日レビュー済み",
    reviewed_yesterday: "昨日レビュー済み",
    reviewed_days_ago: "{n} 日前にレビュー済み",
    never_reviewed: "レビュー日の記録なし",
    updated_today: "本日更新",
    updated_yesterday: "昨日更新",
    updated_days_ago: "{n} 日前に更新",
    changed_since: "前回開いた後に変更されました",
    whats_new: "新着情報",
    whats_new_intro: "過去 {n} 日間に変更された記事 (新しい順)。",
    whats_new_empty: "過去 {n} 日間の変更はありません。",
    whats_new_failed: "変更の一覧を読み込めませんでした。検索は引き続き使えます。",
    regulated: "規制対象",
    review_overdue: "レビュー期限を {n} 日過ぎています: 金額や規則が変わっている可能性があります。案内する前に担当者に確認してください。",
    expired: "{n} 日前に失効: この記事は使わないでください。最新の案内を担当者に確認してください。",
    expires_soon: "あと {n} 日で失効します。",
    expires_today: "本日で失効します。",
    fallback_notice: "{locale} で表示しています: {name} 版はまだありません。",
    moved_notice: "この記事は移動しました。使用したリンクまたはピン（「{old}」）で、今後はここが開きます。",
    outdated_notice: "この翻訳は元の {locale} 記事より古く、内容が変わっている可能性があります。",
    read_source: "{locale} 版を読む",
    reading_other_locale: "{locale} 版を表示しています。",
    related: "関連記事",
    other_locales: "他の言語",
    built: "ナレッジ作成日 {date}",
    offline: "オフライン: 保存済みのナレッジベースを検索中",
    saved_offline: "オフライン用に保存済み",
    offline_not_saved: "オフライン用に保存できませんでした: ダウンロードに失敗しました",
    update_available: "新しいナレッジベースが公開されました ({date})。",
    switch_now: "今すぐ切り替える",
    later: "後で",
    help_title: "キーボードショートカット",
    help_open: "キーボードショートカット (?)",
    close: "閉じる",
    shortcuts: [
        "どこからでも検索",
        "結果の移動",
        "結果を開く",
        "結果に戻る、次に検索をクリア",
        "選択中 (または最初) のスクリプトをコピー",
        "開いている記事をピン留め／解除",
        "開いている記事の問題を報告",
        "新着情報: 最近変更された記事",
        "戻る",
        "このショートカットを表示",
        "操作対象の移動",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_found_before_the_whole_index_is_not_no_results() {
        for texts in [&ENGLISH, &GERMAN, &SPANISH, &JAPANESE] {
            assert_eq!(results_announcement(texts, 0, false, true), texts.no_results_yet);
            assert_eq!(results_announcement(texts, 0, false, false), texts.no_results);
            assert_eq!(results_announcement(texts, 3, false, true), result_count(texts, 3, false));
            assert_ne!(texts.no_results_yet, texts.no_results);
        }
    }

    #[test]
    fn every_language_fills_its_placeholders() {
        for texts in [&ENGLISH, &GERMAN, &SPANISH, &JAPANESE] {
            assert!(result_count(texts, 12, false).contains("12"));
            assert!(reviewed_ago(texts, 23).contains("23"));
            assert!(updated_ago(texts, 23).contains("23"));
            assert!(fill(texts.whats_new_intro, &[("n", "14")]).contains("14") && fill(texts.whats_new_empty, &[("n", "14")]).contains("14"));
            let notice = fill(texts.fallback_notice, &[("locale", "English (US)"), ("name", "Deutsch")]);
            assert!(notice.contains("English (US)") && notice.contains("Deutsch"), "{notice}");
            let limit = cuecard_engine::query::MAX_QUERY_CHARS.to_string();
            assert!(texts.query_cut.contains(&limit), "the cut notice names the real limit: {}", texts.query_cut);
        }
    }

    #[test]
    fn picks_by_language_and_falls_back_to_english() {
        assert_eq!(texts(Some("de-AT")).search_label, GERMAN.search_label);
        assert_eq!(texts(Some("es-MX")).search_label, SPANISH.search_label);
        assert_eq!(texts(Some("ko")).search_label, ENGLISH.search_label);
        assert_eq!(texts(None).search_label, ENGLISH.search_label);
        assert_eq!(result_count(&GERMAN, 1, false), "1 Ergebnis");
        assert_eq!(reviewed_ago(&ENGLISH, 1), "Reviewed yesterday");
        assert_eq!(updated_ago(&ENGLISH, 3), "Updated 3 days ago");
        assert_eq!(updated_ago(&SPANISH, 0), "Actualizado hoy");
    }
}
