using Genie.Web;

var app = PortalApp.Build(new WebApplicationOptions { Args = args });
app.Run();
