//! Integration and system users found, with the evidence, and whether each is assigned.
use yew::prelude::*;

use crate::engine::plan::IntegrationUser;

#[derive(Properties, PartialEq)]
pub struct IntegrationProps {
    pub users: Vec<IntegrationUser>,
}

#[function_component(Integration)]
pub fn integration(props: &IntegrationProps) -> Html {
    html! {
        <section id="integration-users" aria-labelledby="integration-title">
            <h2 id="integration-title">{ "Integration and system users" }</h2>
            <p class="muted">{ "Users that look like integrations or system accounts. An assigned one gets an AE user: review it (an integration that calls the Account Engagement API does need one)." }</p>
            if props.users.is_empty() {
                <p>{ "None found." }</p>
            } else {
                <table class="data">
                    <thead><tr>
                        <th scope="col">{ "User" }</th><th scope="col">{ "Active" }</th>
                        <th scope="col">{ "Evidence" }</th><th scope="col">{ "Assigned" }</th>
                    </tr></thead>
                    <tbody>
                        { for props.users.iter().map(|u| html! {
                            <tr class={classes!("integration-user", u.assigned.then_some("is-assigned"))}
                                data-user-id={u.salesforce_user_id.to_string()} data-assigned={u.assigned.to_string()}>
                                <th scope="row">{ u.name.clone().unwrap_or_else(|| u.username.clone()) }
                                    <div class="muted small">{ &u.username }</div></th>
                                <td>{ if u.is_active { "yes" } else { "no" } }</td>
                                <td><ul>{ for u.evidence.iter().map(|e| html! { <li>{ e }</li> }) }</ul></td>
                                <td>{ if u.assigned { format!("yes: {}", u.assigned_in.join(", ")) } else { "no".into() } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
