//! A business unit's profile-to-role table: the AE role Marketing users of each profile get,
//! with the users per profile. Built-in roles are offered; any custom role can be typed.
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::plan::ProfileRoleTable;

use super::edit::{Edit, BUILT_IN_ROLES};

#[derive(Properties, PartialEq)]
pub struct ProfileRolesProps {
    pub bu: usize,
    pub table: Option<ProfileRoleTable>,
    /// Profile → role as written in the scenario.
    pub written: std::collections::BTreeMap<String, String>,
    /// Custom roles already used anywhere in the scenario.
    pub custom_roles: Vec<String>,
    pub on_edit: Callback<Edit>,
}

#[function_component(ProfileRoles)]
pub fn profile_roles(props: &ProfileRolesProps) -> Html {
    let bu = props.bu;
    let list_id = format!("roles-{bu}");
    let Some(table) = &props.table else {
        return html! { <p class="muted">{ "The profile-to-role table appears once the plan is ready." }</p> };
    };
    html! {
        <div class="profile-roles">
            <datalist id={list_id.clone()}>
                { for BUILT_IN_ROLES.iter().map(|r| html! { <option value={*r} /> }) }
                { for props.custom_roles.iter().map(|r| html! { <option value={r.clone()} /> }) }
            </datalist>
            <table class="data">
                <caption>{ "Profile to Account Engagement role (Marketing users; Sales users always get Sales)" }</caption>
                <thead><tr>
                    <th scope="col">{ "Profile" }</th><th scope="col">{ "Users" }</th>
                    <th scope="col">{ "Active" }</th><th scope="col">{ "AE role" }</th>
                </tr></thead>
                <tbody>
                    { for table.rows.iter().map(|row| {
                        let written = props.written.get(&row.profile).cloned()
                            .or_else(|| row.profile_id.as_ref().and_then(|id| props.written.get(id.as_str()).cloned()));
                        let key = if props.written.contains_key(&row.profile) || written.is_none() {
                            row.profile.clone()
                        } else {
                            row.profile_id.as_ref().map(|i| i.to_string()).unwrap_or_else(|| row.profile.clone())
                        };
                        let onchange = props.on_edit.reform(move |e: Event| {
                            let input: HtmlInputElement = e.target_unchecked_into();
                            let v = input.value();
                            Edit::SetProfileRole(bu, key.clone(), (!v.trim().is_empty()).then_some(v))
                        });
                        let input_id = format!("role-{bu}-{}", row.profile.replace(' ', "_"));
                        html! {
                            <tr data-profile={row.profile.clone()}>
                                <th scope="row"><label for={input_id.clone()}>{ &row.profile }</label></th>
                                <td>{ row.users }</td><td>{ row.active_users }</td>
                                <td>
                                    <input id={input_id} list={list_id.clone()} value={written.unwrap_or_default()}
                                        placeholder="Marketing (default)" {onchange} />
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}
