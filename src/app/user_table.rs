//! The user table: filters, search, and a virtualised list (only the visible rows are in the
//! page, so 100,000 users scroll smoothly). Rows are focusable; Enter opens the explanation,
//! the arrow keys move between rows.
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::engine::decide::Action as Outcome;

use super::filter::{decision, options, parse_action, row_key, rows, window, Filter};
use super::state::Selection;
use super::worker::EngineResponse;

/// Every row is this high (CSS `.user-row` sets the same), so the window is exact.
pub const ROW_HEIGHT: f64 = 40.0;
/// The scrolling area's height (CSS `.table-viewport` sets the same).
pub const VIEWPORT: f64 = 480.0;

#[derive(Properties, PartialEq)]
pub struct UserTableProps {
    pub response: Rc<EngineResponse>,
    pub filter: Filter,
    pub selected: Option<Selection>,
    pub on_filter: Callback<Filter>,
    pub on_select: Callback<Selection>,
}

/// The height of the rows not rendered. An SVG's `height` attribute sizes it: the page's
/// Content-Security-Policy forbids inline `style` attributes.
fn spacer(height: f64) -> Html {
    html! {
        <tr class="spacer" aria-hidden="true">
            <td colspan="7"><svg width="1" height={format!("{height}")}></svg></td>
        </tr>
    }
}

fn move_focus(e: &KeyboardEvent, down: bool) {
    let Some(row) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let next = if down {
        row.next_element_sibling()
    } else {
        row.previous_element_sibling()
    };
    if let Some(el) = next
        .filter(|n| n.has_attribute("data-user-id"))
        .and_then(|n| n.dyn_into::<HtmlElement>().ok())
    {
        e.prevent_default();
        let _ = el.focus();
    }
}

#[function_component(UserTable)]
pub fn user_table(props: &UserTableProps) -> Html {
    let scroll_top = use_state(|| 0.0_f64);
    let viewport = use_node_ref();
    let Ok(report) = &props.response.result else {
        return html! {};
    };
    let shown = use_memo((props.response.clone(), props.filter.clone()), |(r, f)| {
        r.result.as_ref().map(|r| rows(r, f)).unwrap_or_default()
    });
    // The filter's choices, once per answer (not on every scroll: a scan of every decision).
    let choices = use_memo(props.response.clone(), |r| {
        r.result.as_ref().map(options).unwrap_or_default()
    });
    let (roles, finding_codes) = (&choices.0, &choices.1);
    let multi = report.plan.business_units.len() > 1;
    let (start, end) = window(*scroll_top, VIEWPORT, ROW_HEIGHT, shown.len(), 8);

    let onscroll = {
        let scroll_top = scroll_top.clone();
        let viewport = viewport.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = viewport.cast::<web_sys::Element>() {
                scroll_top.set(f64::from(el.scroll_top()));
            }
        })
    };
    let set = |f: fn(&mut Filter, String)| {
        let filter = props.filter.clone();
        let on_filter = props.on_filter.clone();
        let viewport = viewport.clone();
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            let mut next = filter.clone();
            f(&mut next, super::dom::value(&e));
            if let Some(el) = viewport.cast::<web_sys::Element>() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0.0);
            on_filter.emit(next);
        })
    };
    let on_action = set(|f, v| f.action = parse_action(&v));
    let on_role = set(|f, v| f.role = (!v.is_empty()).then_some(v));
    let on_finding = set(|f, v| f.finding = (!v.is_empty()).then_some(v));
    let on_group = set(|f, v| f.group = (!v.is_empty()).then_some(v));
    let on_search = {
        let filter = props.filter.clone();
        let on_filter = props.on_filter.clone();
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = filter.clone();
            next.search = input.value();
            scroll_top.set(0.0);
            on_filter.emit(next);
        })
    };
    let f = &props.filter;
    let action_value = f.action.map(|a| a.as_str()).unwrap_or("");
    let top = start as f64 * ROW_HEIGHT;
    let bottom = (shown.len() - end) as f64 * ROW_HEIGHT;
    html! {
        <section class="users" aria-labelledby="users-title">
            <h2 id="users-title">{ "Users" }</h2>
            <div class="filters" role="search">
                <div class="field">
                    <label for="search">{ "Search" }</label>
                    <input id="search" type="search" placeholder="name, username, email or id"
                        value={f.search.clone()} oninput={on_search} />
                </div>
                <div class="field">
                    <label for="filter-action">{ "Action" }</label>
                    <select id="filter-action" onchange={on_action}>
                        <option value="" selected={f.action.is_none()}>{ "All" }</option>
                        { for Outcome::ALL.iter().map(|a| html! {
                            <option value={a.as_str()} selected={action_value == a.as_str()}>{ a.as_str() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="filter-role">{ "AE role" }</label>
                    <select id="filter-role" onchange={on_role}>
                        <option value="" selected={f.role.is_none()}>{ "All" }</option>
                        { for roles.iter().map(|r| html! {
                            <option value={r.clone()} selected={f.role.as_deref() == Some(r.as_str())}>{ r }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="filter-finding">{ "Finding" }</label>
                    <select id="filter-finding" onchange={on_finding}>
                        <option value="" selected={f.finding.is_none()}>{ "All" }</option>
                        { for finding_codes.iter().map(|c| html! {
                            <option value={c.clone()} selected={f.finding.as_deref() == Some(c.as_str())}>{ c }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="filter-group">{ "Group" }</label>
                    <select id="filter-group" onchange={on_group}>
                        <option value="" selected={f.group.is_none()}>{ "All" }</option>
                        <option value="marketing" selected={f.group.as_deref() == Some("marketing")}>{ "Marketing Users" }</option>
                        <option value="sales" selected={f.group.as_deref() == Some("sales")}>{ "Sales Users" }</option>
                        <option value="none" selected={f.group.as_deref() == Some("none")}>{ "Neither" }</option>
                    </select>
                </div>
            </div>
            <p class="muted" role="status" id="row-count">{ format!("{} of {} users · Enter opens a user's explanation",
                shown.len(), report.plan.business_units.iter().map(|b| b.decisions.len()).sum::<usize>()) }</p>
            <div class="table-viewport" ref={viewport} {onscroll} tabindex="-1">
                <table id="user-table" class="data" aria-rowcount={shown.len().to_string()}>
                    <thead><tr>
                        <th scope="col">{ "User" }</th><th scope="col">{ "Username" }</th>
                        if multi { <th scope="col">{ "Business unit" }</th> }
                        <th scope="col">{ "Action" }</th><th scope="col">{ "AE role" }</th>
                        <th scope="col">{ "Rule" }</th><th scope="col">{ "Findings" }</th>
                    </tr></thead>
                    <tbody>
                        if top > 0.0 { { spacer(top) } }
                        { for shown.get(start..end).unwrap_or(&[]).iter().enumerate().filter_map(|(k, r)| {
                            let d = decision(report, *r)?;
                            let key = row_key(d);
                            let bu = report.plan.business_units.get(r.0).map(|b| b.name.clone()).unwrap_or_default();
                            let sel: Selection = (r.0, key.clone());
                            let is_selected = props.selected.as_ref() == Some(&sel);
                            let onclick = props.on_select.reform({ let sel = sel.clone(); move |_: MouseEvent| sel.clone() });
                            let onkeydown = {
                                let on_select = props.on_select.clone();
                                let sel = sel.clone();
                                Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
                                    "Enter" | " " => { e.prevent_default(); on_select.emit(sel.clone()); }
                                    "ArrowDown" => move_focus(&e, true),
                                    "ArrowUp" => move_focus(&e, false),
                                    _ => {}
                                })
                            };
                            let role = match (&d.previous_role, &d.role) {
                                (Some(p), Some(n)) if p != n => format!("{p} → {n}"),
                                (_, Some(n)) => n.to_string(),
                                (Some(p), None) => p.to_string(),
                                _ => "—".into(),
                            };
                            Some(html! {
                                <tr key={format!("{}-{key}", r.0)} class={classes!("user-row", is_selected.then_some("selected"))}
                                    data-user-id={key.clone()} data-action={d.action.as_str()} tabindex="0"
                                    aria-rowindex={(start + k + 1).to_string()} aria-selected={is_selected.to_string()}
                                    {onclick} {onkeydown}>
                                    <td>{ d.name.as_deref().unwrap_or("—").to_string() }</td>
                                    <td class="username">{ d.username.as_deref().or(d.email.as_deref()).unwrap_or_default().to_string() }</td>
                                    if multi { <td>{ bu }</td> }
                                    <td><span class={classes!("action-badge", d.action.as_str())}>{ d.action.as_str() }</span></td>
                                    <td>{ role }</td>
                                    <td><code>{ d.reason.code.as_str() }</code></td>
                                    <td>{ d.findings.join(", ") }</td>
                                </tr>
                            })
                        }) }
                        if bottom > 0.0 { { spacer(bottom) } }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
