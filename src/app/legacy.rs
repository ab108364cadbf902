//! The legacy (profile-based) connector settings: ticked profiles with their roles, the
//! connector's three switches, and how to read the role switch.
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::plan::ProfileRoleTable;
use crate::engine::scenario::{Legacy as Settings, Switch};

use super::edit::{Edit, LegacySwitch, BUILT_IN_ROLES};

#[derive(Properties, PartialEq)]
pub struct LegacyProps {
    /// Whose settings: the shared ones (`None`) or a business unit's own.
    #[prop_or_default]
    pub bu: Option<usize>,
    pub settings: Settings,
    /// Profiles with their users (from the plan).
    pub table: Option<ProfileRoleTable>,
    pub on_edit: Callback<Edit>,
}

#[function_component(Legacy)]
pub fn legacy(props: &LegacyProps) -> Html {
    let s = &props.settings;
    let bu = props.bu;
    // The shared settings' ids are `legacy-…`; a business unit's own, `bu0-legacy-…`.
    let prefix = bu.map_or_else(|| "legacy".to_string(), |i| format!("bu{i}-legacy"));
    let switch = |which: LegacySwitch, on: bool, id: &str, text: &str| {
        let onchange = props.on_edit.reform(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Edit::SetLegacySwitch(bu, which, input.checked())
        });
        let id = format!("{prefix}-{id}");
        html! {
            <div class="switch">
                <input type="checkbox" id={id.clone()} checked={on} {onchange} />
                <label for={id}>{ text.to_string() }</label>
            </div>
        }
    };
    let title = format!("{prefix}-title");
    html! {
        <section class="legacy" aria-labelledby={title.clone()}>
            if bu.is_none() {
                <h2 id={title}>{ "Legacy connector settings" }</h2>
                <p class="muted">{ "Each business unit has its own connector; these settings are used by every business unit that has none of its own." }</p>
            } else {
                <h3 id={title}>{ "This business unit's connector" }</h3>
            }
            { switch(LegacySwitch::UpdateRoleOnProfileChange, s.update_role_on_profile_change, "update-role",
                Switch::UpdateRoleOnProfileChange.label()) }
            { switch(LegacySwitch::RecycleWhenProfileUnselected, s.recycle_when_profile_unselected, "recycle",
                Switch::RecycleWhenProfileUnselected.label()) }
            { switch(LegacySwitch::SkipOnEmailMatch, s.skip_on_email_match, "skip-email",
                Switch::SkipOnEmailMatch.label()) }
            { switch(LegacySwitch::AssumeProfileChanged, s.assume_profile_changed, "assume-profile-changed",
                Switch::AssumeProfileChanged.label()) }
            <p class="muted">{ "The connector changes a synced user's role only when their profile changes, which the exports cannot show: unticked, a role that differs from the table is kept." }</p>
            if bu.is_none() {
                <datalist id="legacy-roles">{ for BUILT_IN_ROLES.iter().map(|r| html! { <option value={*r} /> }) }</datalist>
            }
            if let Some(table) = &props.table {
                <table class="data">
                    <caption>{ "Profiles that sync (ticked) and their AE role" }</caption>
                    <thead><tr><th scope="col">{ "Ticked" }</th><th scope="col">{ "Profile" }</th><th scope="col">{ "Users" }</th><th scope="col">{ "AE role (empty: not synced)" }</th></tr></thead>
                    <tbody>
                        { for table.rows.iter().map(|row| {
                            let profile = row.profile.clone();
                            let onchange = props.on_edit.reform(move |e: Event| {
                                let input: HtmlInputElement = e.target_unchecked_into();
                                let v = input.value();
                                Edit::SetLegacyProfile(bu, profile.clone(), (!v.trim().is_empty()).then_some(v))
                            });
                            let id = format!("{prefix}-{}", row.profile.replace(' ', "_"));
                            let tick_id = format!("{prefix}-tick-{}", row.profile.replace(' ', "_"));
                            let ticked = s.profiles.contains_key(&row.profile);
                            // Ticking syncs the profile as Marketing (the role can then be changed).
                            let on_tick = {
                                let profile = row.profile.clone();
                                props.on_edit.reform(move |e: Event| {
                                    let input: HtmlInputElement = e.target_unchecked_into();
                                    Edit::SetLegacyProfile(bu, profile.clone(), input.checked().then(|| "Marketing".to_string()))
                                })
                            };
                            html! {
                                <tr data-profile={row.profile.clone()}>
                                    <td><input type="checkbox" id={tick_id} checked={ticked} onchange={on_tick}
                                        aria-label={format!("Sync profile {}", row.profile)} /></td>
                                    <th scope="row"><label for={id.clone()}>{ &row.profile }</label></th>
                                    <td>{ row.users }</td>
                                    <td><input {id} list="legacy-roles" value={s.profiles.get(&row.profile).cloned().unwrap_or_default()} {onchange} /></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
