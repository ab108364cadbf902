//! The legacy (profile-based) connector settings: ticked profiles with their roles, the
//! connector's three switches, and how to read the role switch.
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::plan::ProfileRoleTable;
use crate::engine::scenario::Legacy as Settings;

use super::edit::{Edit, LegacySwitch, BUILT_IN_ROLES};

#[derive(Properties, PartialEq)]
pub struct LegacyProps {
    pub settings: Settings,
    /// Profiles with their users (from the plan).
    pub table: Option<ProfileRoleTable>,
    pub on_edit: Callback<Edit>,
}

#[function_component(Legacy)]
pub fn legacy(props: &LegacyProps) -> Html {
    let s = &props.settings;
    let switch = |which: LegacySwitch, on: bool, id: &str, text: &str| {
        let onchange = props.on_edit.reform(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Edit::SetLegacySwitch(which, input.checked())
        });
        html! {
            <div class="switch">
                <input type="checkbox" id={id.to_string()} checked={on} {onchange} />
                <label for={id.to_string()}>{ text.to_string() }</label>
            </div>
        }
    };
    html! {
        <section aria-labelledby="legacy-title">
            <h2 id="legacy-title">{ "Legacy connector settings" }</h2>
            { switch(LegacySwitch::UpdateRoleOnProfileChange, s.update_role_on_profile_change, "legacy-update-role",
                "Update the AE role when the Salesforce profile changes") }
            { switch(LegacySwitch::RecycleWhenProfileUnselected, s.recycle_when_profile_unselected, "legacy-recycle",
                "Recycle AE users whose profile is no longer selected") }
            { switch(LegacySwitch::SkipOnEmailMatch, s.skip_on_email_match, "legacy-skip-email",
                "Skip Salesforce users whose email matches an AE user not yet linked") }
            { switch(LegacySwitch::AssumeProfileChanged, s.assume_profile_changed, "legacy-assume-profile-changed",
                "Plan as if every profile had just changed") }
            <p class="muted">{ "The connector changes a synced user's role only when their profile changes, which the exports cannot show: unticked, a role that differs from the table is kept." }</p>
            <datalist id="legacy-roles">{ for BUILT_IN_ROLES.iter().map(|r| html! { <option value={*r} /> }) }</datalist>
            if let Some(table) = &props.table {
                <table class="data">
                    <caption>{ "Profiles that sync (ticked) and their AE role" }</caption>
                    <thead><tr><th scope="col">{ "Profile" }</th><th scope="col">{ "Users" }</th><th scope="col">{ "AE role (empty: not synced)" }</th></tr></thead>
                    <tbody>
                        { for table.rows.iter().map(|row| {
                            let profile = row.profile.clone();
                            let onchange = props.on_edit.reform(move |e: Event| {
                                let input: HtmlInputElement = e.target_unchecked_into();
                                let v = input.value();
                                Edit::SetLegacyProfile(profile.clone(), (!v.trim().is_empty()).then_some(v))
                            });
                            let id = format!("legacy-{}", row.profile.replace(' ', "_"));
                            html! {
                                <tr data-profile={row.profile.clone()}>
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
