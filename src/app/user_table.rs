//! The user table: filters, search, and a virtualised list (only the visible rows are in the
//! page, so 100,000 users scroll smoothly). The rows come from the worker, which holds the
//! plan's decisions and filters them ([`RowsPage`]): the page has those around the visible
//! ones, and a row it does not have yet is shown empty until they arrive. Rows are focusable;
//! Enter opens the explanation, the arrow keys move between rows.
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::engine::decide::Action as Outcome;

use super::filter::{parse_action, row_key, Filter};
use super::state::{rendered_rows, Selection};
use super::worker::{EngineResponse, RowsPage};

/// Every row is this high (CSS `.user-row` sets the same), so the window is exact.
pub const ROW_HEIGHT: f64 = ROW_PX as f64;
/// [`ROW_HEIGHT`] in whole pixels, for the spacers' heights (printed as integers: formatting a
/// float links Rust's float printing into the page's wasm).
const ROW_PX: u64 = 40;

#[derive(Properties, PartialEq)]
pub struct UserTableProps {
    pub response: Rc<EngineResponse>,
    /// The rows the page has (for this filter, or the last one while the worker filters).
    pub table: Option<Rc<RowsPage>>,
    pub filter: Filter,
    /// The first row shown (where the table is scrolled to).
    pub first_row: usize,
    pub selected: Option<Selection>,
    pub on_filter: Callback<Filter>,
    pub on_select: Callback<Selection>,
    /// The table was scrolled: the first row it shows.
    pub on_scroll: Callback<usize>,
}

/// The height of the rows not rendered. An SVG's `height` attribute sizes it: the page's
/// Content-Security-Policy forbids inline `style` attributes.
fn spacer(height: u64) -> Html {
    html! {
        <tr class="spacer" aria-hidden="true">
            <td colspan="7"><svg width="1" height={height.to_string()}></svg></td>
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
    let viewport = use_node_ref();
    let Ok(report) = &props.response.result else {
        return html! {};
    };
    // The filter's choices come with the answer (the worker scans the decisions once).
    let (roles, finding_codes) = (&props.response.options.0, &props.response.options.1);
    let multi = report.plan.business_units.len() > 1;
    let total = props.table.as_ref().map(|t| t.total).unwrap_or(0);
    let (start, end) = rendered_rows(props.first_row);
    let (start, end) = (start.min(total), end.min(total));

    let onscroll = {
        let viewport = viewport.clone();
        let on_scroll = props.on_scroll.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = viewport.cast::<web_sys::Element>() {
                let first = (f64::from(el.scroll_top()).max(0.0) / ROW_HEIGHT).floor();
                on_scroll.emit(first as usize);
            }
        })
    };
    let set = |f: fn(&mut Filter, String)| {
        let filter = props.filter.clone();
        let on_filter = props.on_filter.clone();
        let viewport = viewport.clone();
        Callback::from(move |e: Event| {
            let mut next = filter.clone();
            f(&mut next, super::dom::value(&e));
            if let Some(el) = viewport.cast::<web_sys::Element>() {
                el.set_scroll_top(0);
            }
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
        let viewport = viewport.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = filter.clone();
            next.search = input.value();
            if let Some(el) = viewport.cast::<web_sys::Element>() {
                el.set_scroll_top(0);
            }
            on_filter.emit(next);
        })
    };
    let f = &props.filter;
    let action_value = f.action.map(|a| a.as_str()).unwrap_or("");
    let top = start as u64 * ROW_PX;
    let bottom = (total - end) as u64 * ROW_PX;
    let mut have = props
        .table
        .as_ref()
        .map(|t| t.shown(start, end).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .peekable();
    // Each row of the window: the worker's, or an empty one until it comes.
    let window: Vec<(usize, Option<_>)> = (start..end)
        .map(|i| (i, have.next_if(|(j, _)| *j == i).map(|(_, r)| r.clone())))
        .collect();
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
                total, props.response.decisions) }</p>
            <div class="table-viewport" ref={viewport} {onscroll} tabindex="-1">
                <table id="user-table" class="data" aria-rowcount={total.to_string()}>
                    <thead><tr>
                        <th scope="col">{ "User" }</th><th scope="col" class="username">{ "Username" }</th>
                        if multi { <th scope="col">{ "Business unit" }</th> }
                        <th scope="col">{ "Action" }</th><th scope="col">{ "AE role" }</th>
                        <th scope="col">{ "Rule" }</th><th scope="col">{ "Findings" }</th>
                    </tr></thead>
                    <tbody>
                        if top > 0 { { spacer(top) } }
                        { for window.into_iter().map(|(i, row)| {
                            let Some((r, row)) = row else {
                                return html! {
                                    <tr key={format!("pending-{i}")} class="user-row pending" aria-hidden="true">
                                        <td colspan="7"></td>
                                    </tr>
                                };
                            };
                            let d = &row.into_decision();
                            let key = row_key(d);
                            let bu = report.plan.business_units.get(r.0).map(|b| b.name.clone()).unwrap_or_default();
                            let sel: Selection = (r.0, key.clone());
                            let is_selected = props.selected.as_ref() == Some(&sel);
                            // One Tab stop for the table (the selected row, else the first shown);
                            // the arrow keys move between rows.
                            let tab_stop = if is_selected || (props.selected.is_none() && i == props.first_row) { "0" } else { "-1" };
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
                            html! {
                                <tr key={format!("{}-{key}", r.0)} class={classes!("user-row", is_selected.then_some("selected"))}
                                    data-user-id={key.clone()} data-action={d.action.as_str()} tabindex={tab_stop}
                                    aria-rowindex={(i + 1).to_string()} aria-selected={is_selected.to_string()}
                                    {onclick} {onkeydown}>
                                    <td>{ d.name.as_deref().unwrap_or("—").to_string() }
                                        // An AE user no Salesforce user decides: not a second copy of a user.
                                        if d.salesforce_user_id.is_none() {
                                            <span class="tag ae-only" title="An Account Engagement user with no Salesforce user in the exports">{ " AE record" }</span>
                                        }
                                    </td>
                                    <td class="username">{ d.username.as_deref().or(d.email.as_deref()).unwrap_or_default().to_string() }</td>
                                    if multi { <td>{ bu }</td> }
                                    <td><span class={classes!("action-badge", d.action.as_str())}>{ d.action.as_str() }</span></td>
                                    <td>{ role }</td>
                                    <td><code>{ d.reason.code.as_str() }</code></td>
                                    <td>{ crate::engine::codes::joined(&d.findings, ", ") }</td>
                                </tr>
                            }
                        }) }
                        if bottom > 0 { { spacer(bottom) } }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
