global using Bastion.BrowserTests.Infrastructure;
global using Bastion.BrowserTests.Pages;
global using Bastion.IntegrationTests.Infrastructure;
global using Microsoft.AspNetCore.Builder;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Logging;
