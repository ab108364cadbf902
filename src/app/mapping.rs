//! The mapping table: profile → AE role per business unit, with user counts, and which rows
//! are defaults.
use yew::prelude::*;

use crate::engine::Code;

use crate::engine::plan::ProfileRoleTable;

#[derive(Properties, PartialEq)]
pub struct MappingProps {
    pub tables: Vec<ProfileRoleTable>,
}

fn rule_words(rule: Code) -> &'static str {
    match rule {
        Code::RProfile => "from your profile-to-role table",
        Code::RDefault => "default: not in the table",
        Code::GSelected => "ticked in the legacy connector",
        Code::GUnselected => "not ticked: does not sync",
        _ => "",
    }
}

#[function_component(Mapping)]
pub fn mapping(props: &MappingProps) -> Html {
    html! {
        <section id="mapping-table" aria-labelledby="mapping-title">
            <h2 id="mapping-title">{ "Profile to Account Engagement role" }</h2>
            <p class="muted">{ "The role a Marketing user gets from their profile. Users in Sales Users get the Sales role; the business unit's creator is Administrator." }</p>
            if props.tables.is_empty() {
                <p class="muted">{ "The mapping appears once a plan is made." }</p>
            }
            { for props.tables.iter().map(|t| html! {
                <table class="data mapping" data-bu={t.business_unit.clone()}>
                    <caption>{ format!("Business unit {}", t.business_unit) }</caption>
                    <thead><tr>
                        <th scope="col">{ "Profile" }</th><th scope="col">{ "AE role" }</th><th scope="col">{ "Rule" }</th>
                        <th scope="col">{ "Users" }</th><th scope="col">{ "Active" }</th><th scope="col">{ "Assigned" }</th>
                    </tr></thead>
                    <tbody>
                        { for t.rows.iter().map(|r| html! {
                            <tr class={classes!("mapping-row", r.is_default.then_some("default"))} data-profile={r.profile.clone()}
                                data-default={r.is_default.to_string()}>
                                <th scope="row">{ &r.profile }</th>
                                <td class="role">{ if r.role.is_empty() { "—".to_string() } else { r.role.clone() } }</td>
                                <td><code>{ r.rule.as_str() }</code>{ format!(" {}", rule_words(r.rule)) }</td>
                                <td>{ r.users }</td><td>{ r.active_users }</td><td>{ r.assigned_users }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }) }
        </section>
    }
}
