namespace Bastion.Email;

/// <summary>The texts of Bastion's messages. Values come in through placeholders only, and are encoded by <see cref="EmailTemplate"/>.</summary>
internal static class EmailTemplateCatalog
{
    public static readonly EmailTemplate PasswordReset = new(
        "password_reset",
        "Reset your {{product}} password",
        """
        {{greeting}}

        Someone asked to reset the password of your {{product}} account. To choose a new password, open this link within {{validFor}}:

        {{link}}

        If you did not ask for this, ignore this message: your password stays as it is.
        """,
        Html("""
            <p>{{greeting}}</p>
            <p>Someone asked to reset the password of your {{product}} account. To choose a new password, open this link within {{validFor}}:</p>
            """ + Button("Choose a new password") + """
            <p>If you did not ask for this, ignore this message: your password stays as it is.</p>
            """));

    public static readonly EmailTemplate EmailVerification = new(
        "email_verification",
        "Confirm your e-mail address for {{product}}",
        """
        {{greeting}}

        To confirm that this address belongs to you, open this link within {{validFor}}:

        {{link}}

        If you did not create a {{product}} account, ignore this message.
        """,
        Html("""
            <p>{{greeting}}</p>
            <p>To confirm that this address belongs to you, open this link within {{validFor}}:</p>
            """ + Button("Confirm my address") + """
            <p>If you did not create a {{product}} account, ignore this message.</p>
            """));

    public static readonly EmailTemplate EmailChange = new(
        "email_change",
        "Confirm the new e-mail address of a {{product}} account",
        """
        {{greeting}}

        Someone asked to move a {{product}} account to this address. If it is your account, open this link within {{validFor}} to confirm:

        {{link}}

        If you did not ask for this, ignore this message: nothing changes, and this address stays yours.
        """,
        Html("""
            <p>{{greeting}}</p>
            <p>Someone asked to move a {{product}} account to this address. If it is your account, open this link within {{validFor}} to confirm:</p>
            """ + Button("Move my account to this address") + """
            <p>If you did not ask for this, ignore this message: nothing changes, and this address stays yours.</p>
            """));

    // The code stays out of the subject: subjects are shown in notifications on locked screens.
    public static readonly EmailTemplate SignInCode = new(
        "sign_in_code",
        "Your {{product}} sign-in code",
        """
        {{greeting}}

        Your sign-in code is: {{code}}

        It expires in {{validFor}}. Do not share it: nobody from {{product}} will ever ask you for it.

        If you did not try to sign in, someone knows your password. Change it now: {{forgotLink}}
        """,
        Html("""
            <p>{{greeting}}</p>
            <p>Your sign-in code is:</p>
            <p style="font-size:28px;font-weight:600;letter-spacing:4px;font-family:Consolas,Menlo,monospace;margin:16px 0">{{code}}</p>
            <p>It expires in {{validFor}}. Do not share it: nobody from {{product}} will ever ask you for it.</p>
            <p>If you did not try to sign in, someone knows your password. <a href="{{forgotLink}}" style="color:#0969da">Change it now</a>.</p>
            """));

    public static readonly EmailTemplate SecurityNotice = new(
        "security_notice",
        "{{headline}}",
        """
        {{greeting}}

        {{event}}

        When: {{time}}
        From: {{ip}}
        Device: {{device}}

        If this was you, there is nothing to do. If it was not, reset your password now and review your account:

        Reset your password: {{forgotLink}}
        Review your account: {{securityLink}}
        """,
        Html("""
            <p>{{greeting}}</p>
            <p>{{event}}</p>
            <table role="presentation" style="border-collapse:collapse;margin:16px 0;font-size:14px">
              <tr><td style="padding:4px 16px 4px 0;color:#57606a">When</td><td style="padding:4px 0">{{time}}</td></tr>
              <tr><td style="padding:4px 16px 4px 0;color:#57606a">From</td><td style="padding:4px 0">{{ip}}</td></tr>
              <tr><td style="padding:4px 16px 4px 0;color:#57606a">Device</td><td style="padding:4px 0">{{device}}</td></tr>
            </table>
            <p>If this was you, there is nothing to do. If it was not, <a href="{{forgotLink}}" style="color:#0969da">reset your password</a> now and <a href="{{securityLink}}" style="color:#0969da">review your account</a>.</p>
            """));

    /// <summary>The headline (subject) and the sentence saying what happened, per kind of notice.</summary>
    public static (string Headline, string Event) Describe(SecurityNoticeKind kind, string product) => kind switch
    {
        SecurityNoticeKind.PasswordChanged => ($"Your {product} password was changed", $"The password of your {product} account was changed, and its other sessions were signed out."),
        SecurityNoticeKind.NewSignIn => ($"New sign-in to your {product} account", $"Your {product} account was signed in to from a device or place not seen before."),
        SecurityNoticeKind.MfaEnabled => ($"Two-step verification was turned on for your {product} account", $"Two-step verification was turned on for your {product} account."),
        SecurityNoticeKind.MfaDisabled => ($"Two-step verification was turned off for your {product} account", $"Two-step verification was turned off for your {product} account: signing in now needs only the password."),
        SecurityNoticeKind.EmailChanged => ($"The e-mail address of your {product} account was changed", $"The e-mail address of your {product} account was changed: messages now go to the new address, and its sessions were signed out."),
        SecurityNoticeKind.EmailChangeRequested => ($"A new e-mail address was asked for your {product} account", $"Someone signed in to your {product} account asked to move it to another e-mail address. It moves only when a link sent to that address is opened."),
        SecurityNoticeKind.RecoveryCodesRegenerated => ($"New recovery codes for your {product} account", $"New recovery codes were made for your {product} account; the old ones no longer work."),
        SecurityNoticeKind.SecondFactorAdded => ($"A second factor was added to your {product} account", $"A way to confirm sign-ins was added to your {product} account."),
        SecurityNoticeKind.SecondFactorRemoved => ($"A second factor was removed from your {product} account", $"A way to confirm sign-ins was removed from your {product} account; two-step verification stays on with the others."),
        SecurityNoticeKind.RolesChanged => ($"The roles of your {product} account were changed", $"An administrator changed the roles of your {product} account, and with them what it may do."),
        SecurityNoticeKind.AccountDeleted => ($"Your {product} account was deleted", $"Your {product} account was deleted at your request, and its personal details were removed."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown security notice."),
    };

    private static string Button(string label) => $$$"""
        <p style="margin:24px 0"><a href="{{link}}" style="background:#1f6feb;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;display:inline-block;font-weight:600">{{{label}}}</a></p>
        <p style="font-size:13px;color:#57606a">If the button does not work, copy this address into your browser:<br><span style="word-break:break-all">{{link}}</span></p>
        """;

    // One layout for every message: no images or remote content (mail clients block them, and they would track the reader).
    private static string Html(string content) => $$$"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{product}}</title></head>
        <body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328;line-height:1.5">
        <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
        <p style="font-size:18px;font-weight:600;margin:0 0 24px">{{product}}</p>
        {{{content}}}
        </div>
        </body>
        </html>
        """;
}
