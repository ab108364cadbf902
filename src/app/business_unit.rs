//! One business unit on the set-up screen: name, AE users export, creator, Marketing Users
//! and Sales Users, and the profile-to-role table.
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::lookup::{BuReach, Candidate};
use crate::engine::membership::Set;
use crate::engine::plan::ProfileRoleTable;
use crate::engine::scenario::BusinessUnit as Bu;

use super::assignments::Assignments;
use super::edit::Edit;
use super::legacy::Legacy;
use super::profile_roles::ProfileRoles;

#[derive(Properties, PartialEq)]
pub struct BusinessUnitProps {
    pub index: usize,
    pub bu: Bu,
    pub reach: Option<BuReach>,
    pub table: Option<ProfileRoleTable>,
    pub candidates: Rc<Vec<Candidate>>,
    /// The AE users exports loaded (file names).
    pub ae_files: Vec<String>,
    pub custom_roles: Vec<String>,
    /// Legacy mode: the connector settings are shown (the business unit may have its own).
    #[prop_or_default]
    pub legacy: bool,
    pub on_edit: Callback<Edit>,
}

#[function_component(BusinessUnit)]
pub fn business_unit(props: &BusinessUnitProps) -> Html {
    let i = props.index;
    let bu = &props.bu;
    let rename = props.on_edit.reform(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Edit::RenameBusinessUnit(i, input.value())
    });
    let remove = props
        .on_edit
        .reform(move |_: MouseEvent| Edit::RemoveBusinessUnit(i));
    let ae = props.on_edit.reform(move |e: Event| {
        let v = super::dom::value(&e);
        Edit::SetAeUsers(i, (!v.is_empty()).then_some(v))
    });
    let creator = props.on_edit.reform(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Edit::SetCreator(i, Some(input.value()))
    });
    let own_legacy = props.on_edit.reform(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Edit::SetOwnLegacy(i, input.checked())
    });
    let reach = props.reach.clone().unwrap_or_default();
    let users_list = format!("users-{i}");
    html! {
        <section class="business-unit" data-bu={bu.name.clone()} aria-label={format!("Business unit {}", bu.name)}>
            <div class="section-head">
                <div class="field">
                    <label for={format!("bu-name-{i}")}>{ "Business unit" }</label>
                    <input id={format!("bu-name-{i}")} class="bu-name" value={bu.name.clone()} onchange={rename} />
                </div>
                <button type="button" class="button small" onclick={remove}
                    aria-label={format!("Remove business unit {}", bu.name)}>{ "Remove" }</button>
            </div>
            <div class="fields">
                <div class="field">
                    <label for={format!("bu-ae-{i}")}>{ "Its Account Engagement users export" }</label>
                    <select id={format!("bu-ae-{i}")} onchange={ae}>
                        <option value="" selected={bu.ae_users.is_none()}>{ "None: a new business unit with no AE users" }</option>
                        { for props.ae_files.iter().map(|f| html! {
                            <option value={f.clone()} selected={bu.ae_users.as_deref() == Some(f.as_str())}>{ f }</option>
                        }) }
                        if let Some(f) = bu.ae_users.as_ref().filter(|f| !props.ae_files.contains(f)) {
                            <option value={f.clone()} selected=true>{ format!("{f} (not loaded)") }</option>
                        }
                    </select>
                </div>
                <div class="field">
                    <label for={format!("bu-creator-{i}")}>{ "Who created the business unit (username or id)" }</label>
                    <input id={format!("bu-creator-{i}")} list={users_list.clone()} value={bu.creator.clone().unwrap_or_default()}
                        placeholder="the PardotTenant's initial admin" onchange={creator} />
                    <datalist id={users_list}>
                        { for props.candidates.iter().filter(|c| c.kind == "user").take(2000)
                            .map(|c| html! { <option value={c.reference.clone()}>{ &c.label }</option> }) }
                    </datalist>
                </div>
            </div>
            <div class="sets">
                <Assignments bu={i} set={Set::Marketing} list={bu.marketing_users.clone()} reach={reach.marketing.clone()}
                    candidates={props.candidates.clone()} on_edit={props.on_edit.clone()} />
                <Assignments bu={i} set={Set::Sales} list={bu.sales_users.clone()} reach={reach.sales.clone()}
                    candidates={props.candidates.clone()} on_edit={props.on_edit.clone()} />
            </div>
            if props.legacy {
                <div class="switch">
                    <input type="checkbox" id={format!("bu{i}-own-legacy")} checked={bu.legacy.is_some()} onchange={own_legacy} />
                    <label for={format!("bu{i}-own-legacy")}>{ "Its connector has settings of its own" }</label>
                </div>
                if let Some(own) = &bu.legacy {
                    <Legacy bu={i} settings={own.clone()} table={props.table.clone()} on_edit={props.on_edit.clone()} />
                }
            }
            <ProfileRoles bu={i} table={props.table.clone()} written={bu.profile_roles.clone()}
                custom_roles={props.custom_roles.clone()} on_edit={props.on_edit.clone()} />
        </section>
    }
}
