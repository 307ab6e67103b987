//! The operations the reference implements, one module per concern. Each handler gets the
//! locked store and a body that has passed the type check and model validation, and returns
//! the output document (the protocol layer sends an empty body for operations without output).

mod admin_attributes;
mod broken;
mod control;
mod custom_attributes;
pub mod ids;
pub mod input;
mod pools;
mod self_service;
mod sign_in;
mod users;
mod verification;

use serde_json::Value;

use super::api_error::ApiError;
use super::app::App;
use super::store::Store;
use input::Input;

pub use control::{call as control, fault_error};

/// Cognito operations the reference serves. Anything else in the
/// `AWSCognitoIdentityProviderService` namespace is `UnknownOperationException`.
pub const OPERATIONS: &[&str] = &[
    "CreateUserPool",
    "DescribeUserPool",
    "ListUserPools",
    "DeleteUserPool",
    "CreateUserPoolClient",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "AdminGetUser",
    "AdminDeleteUser",
    "AdminConfirmSignUp",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminUpdateUserAttributes",
    "AdminInitiateAuth",
    "SignUp",
    "InitiateAuth",
    "GetUser",
    "GlobalSignOut",
    "DeleteUser",
    "DeleteUserAttributes",
    "UpdateUserAttributes",
    "AdminDeleteUserAttributes",
    "AddCustomAttributes",
    "GetUserAttributeVerificationCode",
];

/// Run Cognito operation `op`.
pub fn cognito(
    app: &App,
    store: &mut Store,
    op: &str,
    input: Input<'_>,
) -> Result<Value, ApiError> {
    match op {
        "CreateUserPool" => pools::create_user_pool(store, input),
        "DescribeUserPool" => pools::describe_user_pool(store, input),
        "ListUserPools" => pools::list_user_pools(store, input),
        "DeleteUserPool" => pools::delete_user_pool(store, input),
        "CreateUserPoolClient" => pools::create_user_pool_client(store, input),
        "AdminCreateUser" => users::admin_create_user(store, input),
        "AdminSetUserPassword" => users::admin_set_user_password(store, input),
        "AdminGetUser" => users::admin_get_user(store, input),
        "AdminDeleteUser" => users::admin_delete_user(store, input),
        "AdminConfirmSignUp" => users::admin_confirm_sign_up(store, input),
        "AdminDisableUser" => users::admin_disable_user(&app.breaks, store, input),
        "AdminEnableUser" => users::admin_enable_user(store, input),
        "AdminUpdateUserAttributes" => broken::bend_admin_error(
            &app.breaks,
            op,
            admin_attributes::admin_update_user_attributes(&app.breaks, store, input),
        ),
        "AdminDeleteUserAttributes" => broken::bend_admin_error(
            &app.breaks,
            op,
            admin_attributes::admin_delete_user_attributes(&app.breaks, store, input),
        ),
        "AddCustomAttributes" => broken::bend_admin_error(
            &app.breaks,
            op,
            custom_attributes::add_custom_attributes(&app.breaks, store, input),
        ),
        "AdminInitiateAuth" => sign_in::admin_initiate_auth(app, store, input),
        "SignUp" => sign_in::sign_up(store, input),
        "InitiateAuth" => sign_in::initiate_auth(app, store, input),
        "GetUser" => self_service::get_user(app, store, input),
        "GlobalSignOut" => self_service::global_sign_out(app, store, input),
        "DeleteUser" => self_service::delete_user(app, store, input),
        "DeleteUserAttributes" => self_service::delete_user_attributes(app, store, input),
        "UpdateUserAttributes" => self_service::update_user_attributes(app, store, input),
        "GetUserAttributeVerificationCode" => {
            verification::get_user_attribute_verification_code(app, store, input)
        }
        _ => Err(ApiError::unknown_operation()),
    }
}
